INSERT INTO customer VALUES (1, 10), (2, 20); INSERT INTO orders VALUES (1, 1), (2, 2), (3, 1);
