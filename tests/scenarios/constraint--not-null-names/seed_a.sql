INSERT INTO cameras (id, name, location, serial, model) VALUES (1, 'porch', 'front', 'S1', 'X'), (2, 'yard', 'back', 'S2', 'Y');
INSERT INTO places (id, label, code) VALUES (1, 'home', 'H');
