INSERT INTO zones (id, name, label) VALUES (1, 'porch', NULL), (2, NULL, NULL), (3, 'yard', 'garden');
