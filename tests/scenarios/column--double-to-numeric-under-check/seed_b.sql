INSERT INTO detections (camera_id, object_type, confidence) VALUES
    ('front_door', 'person', 0.5),
    ('front_door', 'car', 0.875),
    ('backyard', 'dog', 0.25),
    ('backyard', 'cat', NULL);
