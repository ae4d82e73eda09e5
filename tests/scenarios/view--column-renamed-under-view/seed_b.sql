INSERT INTO camera_zones (id, label) VALUES (1, 'Porch'), (3, 'Garden');
