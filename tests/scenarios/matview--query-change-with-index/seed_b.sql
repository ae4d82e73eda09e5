INSERT INTO events (camera_id, started_at, risk_score, deleted_at) VALUES
    ('front_door', '2024-05-01 10:00:00+00', 80, NULL),
    ('front_door', '2024-05-01 22:00:00+00', 30, NULL),
    ('backyard', '2024-05-02 11:30:00+00', 10, NULL),
    ('garage', '2024-05-02 02:15:00+00', 55, '2024-05-03 00:00:00+00');
