INSERT INTO readings VALUES (1, 'a'), (2, 'b');
