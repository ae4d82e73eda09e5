INSERT INTO archive.orders_2024 (total) VALUES (10);
INSERT INTO archive.orders VALUES (1), (2);
