INSERT INTO events (camera_id, risk_level, started_at) VALUES
    ('front_door', 'low', '2024-05-01 10:00:00+00'),
    ('backyard', 'high', '2024-05-01 11:30:00+00'),
    ('garage', 'critical', '2024-05-02 02:15:00+00');
INSERT INTO event_feedback (event_id, expected_severity) VALUES (1, 'medium'), (2, NULL);
