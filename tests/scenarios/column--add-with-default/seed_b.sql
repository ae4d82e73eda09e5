INSERT INTO cameras (id, name, folder_path, config, fps) VALUES
    ('front_door', 'Front Door', '/export/foscam/front_door', '{"rtsp": true}', 25),
    ('backyard', 'Backyard', '/export/foscam/backyard', DEFAULT, DEFAULT),
    ('garage', 'Garage', '/export/foscam/garage', NULL, NULL);
