INSERT INTO t VALUES (1, 10, 'a', ROW(1, 2)), (2, 20, 'b', ROW(3, 4));
