INSERT INTO app.orders (total) VALUES (10), (20);
INSERT INTO archive.orders VALUES (1);
