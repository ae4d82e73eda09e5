INSERT INTO readings VALUES (1, 'a');
