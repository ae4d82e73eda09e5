INSERT INTO cameras VALUES (1, 'front', 'a'), (2, 'back', NULL);
