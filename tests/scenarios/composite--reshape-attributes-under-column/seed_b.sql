INSERT INTO cameras (id, placed, history) VALUES
    (1, ROW('hall', 2, 'indoor'), NULL),
    (2, NULL, NULL);
