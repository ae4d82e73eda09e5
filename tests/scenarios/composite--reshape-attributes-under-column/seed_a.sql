INSERT INTO cameras (id, placed, history) VALUES
    (1, ROW('indoor', 2, 'hall'), ARRAY[ROW('outdoor', 0, 'porch')::placement]),
    (2, NULL, NULL),
    (3, ROW('outdoor', NULL, 'drive'), NULL);
