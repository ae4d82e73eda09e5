INSERT INTO t VALUES (1, 10, 20, 'b', ROW(1, 2)), (2, 11, 21, 'c', ROW(3, 4));
