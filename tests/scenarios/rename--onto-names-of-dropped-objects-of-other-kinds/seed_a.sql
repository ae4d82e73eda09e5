INSERT INTO b (v) VALUES ('one'), ('two');
INSERT INTO t VALUES (1, 'x'), (2, 'y');
