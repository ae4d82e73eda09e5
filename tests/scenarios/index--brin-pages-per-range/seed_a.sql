INSERT INTO detections (camera_id, detected_at, created_at) VALUES
    ('front_door', '2024-05-01 10:00:00+00', '2024-05-01 10:00:01+00'),
    ('front_door', '2024-05-01 10:00:05+00', '2024-05-01 10:00:06+00'),
    ('backyard', '2024-05-01 11:30:00+00', '2024-05-01 11:30:02+00');
