INSERT INTO kept (id) VALUES (1), (2);
