INSERT INTO cameras (id, name, location, serial, model) VALUES (1, 'porch', 'front', 'S1', 'X'), (2, 'yard', 'back', 'S2', 'Z');
INSERT INTO sites (id, label, code) VALUES (1, 'home', 'H');
