INSERT INTO events (camera_id, risk_level, started_at) VALUES
    ('front_door', 'low', '2024-05-01 10:00:00+00'),
    ('backyard', 'high', '2024-05-01 11:30:00+00'),
    ('garage', 'critical', '2024-05-02 02:15:00+00'),
    ('garage', NULL, '2024-05-02 03:00:00+00');
INSERT INTO alerts (event_id, status) VALUES (2, 'pending'), (3, 'acknowledged');
