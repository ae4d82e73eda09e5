INSERT INTO events (camera_id, started_at, risk_score) VALUES
    ('front_door', '2024-05-01 10:00:00+00', 75),
    ('front_door', NULL, NULL),
    ('backyard', '2024-05-01 11:30:00+00', 10);
