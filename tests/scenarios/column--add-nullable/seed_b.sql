INSERT INTO cameras (id, name, folder_path, last_seen_at, deleted_at) VALUES
    ('front_door', 'Front Door', '/export/foscam/front_door', '2024-05-01 10:00:00+00', NULL),
    ('backyard', 'Backyard', '/export/foscam/backyard', NULL, NULL),
    ('old_porch', 'Old Porch', '/export/foscam/old_porch', '2023-01-01 00:00:00+00', '2023-02-01 00:00:00+00');
