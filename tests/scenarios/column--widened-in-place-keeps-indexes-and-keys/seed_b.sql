INSERT INTO products VALUES ('cam-1', 'S1', 99.50, '2026-01-01 10:00:00.123');
INSERT INTO order_lines VALUES (1, 'cam-1');
