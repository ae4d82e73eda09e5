INSERT INTO cameras (id, name, status, deleted_at) VALUES
    ('front_door', 'Front Door', 'online', NULL),
    ('backyard', 'Backyard', 'offline', NULL),
    ('old_porch', 'Old Porch', 'offline', '2024-01-01 00:00:00+00');
