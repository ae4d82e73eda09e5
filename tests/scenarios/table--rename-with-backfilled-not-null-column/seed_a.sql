INSERT INTO zones (id, name) VALUES (1, 'porch'), (2, NULL);
