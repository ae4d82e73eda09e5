INSERT INTO camera_zones (id, name, label) VALUES (1, 'porch', 'porch'), (2, NULL, 'zone 2');
