INSERT INTO events (camera_id, risk_score, summary, deleted_at) VALUES
    ('front_door', 80, 'Person at the door at night', NULL),
    ('backyard', 20, 'Dog in the yard', NULL),
    ('garage', 55, 'Car pulled in', '2024-05-03 00:00:00+00');
INSERT INTO alerts (event_id, status) VALUES (1, 'pending'), (2, 'delivered'), (3, 'pending');
