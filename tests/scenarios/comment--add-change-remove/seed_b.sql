INSERT INTO cameras (id, name, folder_path, last_seen_at) VALUES
    ('front_door', 'Front Door', '/export/foscam/front_door', '2024-05-01 10:00:00+00'),
    ('backyard', 'Backyard', '/export/foscam/backyard', NULL);
