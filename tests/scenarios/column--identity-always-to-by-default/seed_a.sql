INSERT INTO events (batch_id, camera_id, started_at) VALUES
    ('batch-001', 'front_door', '2024-05-01 10:00:00+00'),
    ('batch-002', 'backyard', '2024-05-01 11:30:00+00'),
    ('batch-003', 'garage', '2024-05-02 02:15:00+00');
INSERT INTO event_feedback (event_id, feedback_type) VALUES (1, 'accurate'), (2, 'false_positive');
