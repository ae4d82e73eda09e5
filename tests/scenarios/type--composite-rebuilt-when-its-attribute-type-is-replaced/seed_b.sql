INSERT INTO quotes VALUES (1, ROW(5, '[2,4)'));
