INSERT INTO events (camera_id, started_at) VALUES
    ('front_door', '2024-05-01 10:00:00+00'),
    ('backyard', '2024-05-01 11:30:00+00'),
    ('garage', '2024-05-02 02:15:00+00');
INSERT INTO event_feedback (event_id, feedback_type, notes) VALUES
    (1, 'accurate', NULL),
    (2, 'false_positive', 'That was our dog'),
    (3, 'severity_wrong', NULL);
