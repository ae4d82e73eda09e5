INSERT INTO t VALUES (1, 0, 10, 'a', ROW(1, 2)), (2, 0, 20, 'b', ROW(3, 4));
