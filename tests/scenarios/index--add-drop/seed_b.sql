INSERT INTO detections (camera_id, detected_at, object_type) VALUES
    ('front_door', '2024-05-01 10:00:00+00', 'person'),
    ('front_door', '2024-05-01 10:00:05+00', 'person'),
    ('backyard', '2024-05-01 11:30:00+00', 'dog');
