INSERT INTO t2 (v) VALUES ('one'), ('two');
INSERT INTO k VALUES (1, 'a'), (2, 'b');
