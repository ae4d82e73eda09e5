INSERT INTO cameras VALUES (1, 'front'), (7, 'garage'), (42, 'porch');
INSERT INTO offsets VALUES (-1, 'a'), (-7, 'b');
