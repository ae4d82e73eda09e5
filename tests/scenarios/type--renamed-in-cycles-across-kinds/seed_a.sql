INSERT INTO w (c, d, e) VALUES (ROW('e1', 5), 6, 'e2'), (ROW('e2', 7), 8, 'e1');
INSERT INTO t VALUES (1, 'on', 'first'), (2, 'off', 'second');
