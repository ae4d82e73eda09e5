INSERT INTO t VALUES (1, 10, 20, 'a', ROW(1, 2)), (2, 11, 21, 'b', ROW(3, 4));
