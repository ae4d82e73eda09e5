INSERT INTO detections (camera_id, file_path, object_type, media_type, video_codec, video_width, video_height) VALUES
    ('front_door', '/export/foscam/front_door/a.jpg', 'person', 'image', NULL, NULL, NULL),
    ('front_door', '/export/foscam/front_door/b.mp4', 'car', 'video', 'h264', 1920, 1080),
    ('backyard', '/export/foscam/backyard/c.mp4', 'dog', 'video', 'hevc', 1280, 720);
