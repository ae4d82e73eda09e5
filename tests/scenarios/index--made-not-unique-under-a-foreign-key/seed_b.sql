INSERT INTO cameras VALUES (1, 'front'), (2, 'yard');
INSERT INTO events VALUES (10, 1), (11, 2);
