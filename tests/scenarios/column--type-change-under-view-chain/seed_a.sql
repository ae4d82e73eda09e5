INSERT INTO cameras VALUES (1, 'front'), (2, 'back'), (3, 'front');
