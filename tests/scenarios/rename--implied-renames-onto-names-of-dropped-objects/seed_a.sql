INSERT INTO t (v) VALUES ('one'), ('two');
INSERT INTO k VALUES (1, 'a'), (2, 'b');
