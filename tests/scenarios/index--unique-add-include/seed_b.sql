INSERT INTO cameras (id, name, status, last_seen_at, deleted_at) VALUES
    ('front_door', 'Front Door', 'online', '2024-05-01 10:00:00+00', NULL),
    ('backyard', 'Backyard', 'offline', NULL, NULL),
    ('front_door_old', 'Front Door', 'offline', NULL, '2024-01-01 00:00:00+00');
