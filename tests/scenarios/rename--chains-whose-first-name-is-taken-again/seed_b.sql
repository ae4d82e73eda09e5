INSERT INTO t (id, b, c, a, s) VALUES (1, 1, 'x', 1, 'b'), (2, 2, 'y', 2, 'z'), (3, 3, 'z', 3, 'a');
INSERT INTO tb VALUES (1, 'first'); INSERT INTO tc VALUES (2, 'second');
