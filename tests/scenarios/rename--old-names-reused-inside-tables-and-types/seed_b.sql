INSERT INTO t VALUES (1, 0, 10, 'b', ROW(1, 2, 5), 7), (2, 0, 20, 'a', ROW(3, 4, 6), 8);
