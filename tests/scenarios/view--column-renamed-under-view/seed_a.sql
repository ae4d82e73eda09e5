INSERT INTO zones (id, name) VALUES (1, 'Porch'), (2, 'Driveway');
