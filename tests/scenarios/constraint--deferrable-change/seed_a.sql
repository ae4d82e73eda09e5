INSERT INTO events (camera_id, started_at) VALUES
    ('front_door', '2024-05-01 10:00:00+00'),
    ('backyard', '2024-05-01 11:30:00+00');
INSERT INTO event_detections (event_id, detection_id, position) VALUES
    (1, 101, 1), (1, 102, 2), (2, 201, 1);
