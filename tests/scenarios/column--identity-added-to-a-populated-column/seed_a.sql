INSERT INTO cameras VALUES (1, 'front'), (7, 'garage'), (42, 'porch');
