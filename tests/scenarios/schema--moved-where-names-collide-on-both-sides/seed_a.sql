INSERT INTO s1.orders (n) VALUES (1), (2), (3);
