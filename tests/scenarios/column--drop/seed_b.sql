INSERT INTO detections (camera_id, file_path, object_type, media_type) VALUES
    ('front_door', '/export/foscam/front_door/a.jpg', 'person', 'image'),
    ('backyard', '/export/foscam/backyard/c.mp4', 'dog', 'video');
