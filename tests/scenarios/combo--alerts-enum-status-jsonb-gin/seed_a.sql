INSERT INTO events (camera_id, started_at) VALUES
    ('front_door', '2024-05-01 10:00:00+00'),
    ('backyard', '2024-05-01 11:30:00+00');
INSERT INTO alerts (event_id, status, dedup_key, alert_metadata) VALUES
    (1, 'pending', 'front_door:rule-1', '{"channels": ["push"], "rule": "Night intruder"}'),
    (1, 'delivered', 'front_door:rule-2', '{"channels": ["email"]}'),
    (2, 'acknowledged', 'backyard:rule-1', NULL),
    (2, 'dismissed', 'backyard:rule-3', '{"reason": "family dog"}');
