INSERT INTO quotes VALUES (1, ROW(2, '[1.5,3)')), (2, NULL);
