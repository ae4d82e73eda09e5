INSERT INTO cameras VALUES (1, 'front'), (2, 'back');
INSERT INTO frames VALUES (10, 1), (11, 2), (12, 1);
