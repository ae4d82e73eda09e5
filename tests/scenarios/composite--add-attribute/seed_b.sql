INSERT INTO detections (camera_id, object_type, bbox) VALUES
    ('front_door', 'person', ROW(120, 40, 200, 480, 0.91)),
    ('driveway', 'car', ROW(10, 300, 900, 400, NULL)),
    ('backyard', 'dog', NULL);
