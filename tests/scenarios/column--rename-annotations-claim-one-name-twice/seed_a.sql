INSERT INTO sensors (id, reading) VALUES (1, 21), (2, 19);
