INSERT INTO archive.orders (n) VALUES (1), (2), (3);
