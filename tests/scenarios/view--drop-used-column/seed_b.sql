INSERT INTO cameras (id, name, status, deleted_at) VALUES
    ('front_door', 'Front Door', 'online', NULL),
    ('backyard', 'Backyard', 'offline', NULL);
