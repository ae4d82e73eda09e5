INSERT INTO products VALUES ('cam-1', 'S1', 99.50, '2026-01-01 10:00:00'), ('cam-2', 'S2', 12.00, NULL);
INSERT INTO order_lines VALUES (1, 'cam-1'), (2, 'cam-2');
