INSERT INTO detections (camera_id, file_path) VALUES
    ('front_door', '/export/foscam/front_door/1.jpg'),
    ('front_door', '/export/foscam/front_door/2.jpg'),
    ('backyard', '/export/foscam/backyard/3.jpg');
INSERT INTO events (batch_id, camera_id) VALUES ('batch-001', 'front_door'), ('batch-002', 'backyard');
INSERT INTO event_detections (event_id, detection_id) VALUES (1, 1), (1, 2), (2, 3);
