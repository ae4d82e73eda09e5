INSERT INTO cameras (id, name, folder_path, status, deleted_at) VALUES
    ('front_door', 'Front Door', '/export/foscam/front_door', 'online', NULL),
    ('backyard', 'Backyard', '/export/foscam/backyard', 'offline', NULL),
    ('old_porch', 'Old Porch', '/export/foscam/old_porch', 'offline', '2024-01-01 00:00:00+00');
