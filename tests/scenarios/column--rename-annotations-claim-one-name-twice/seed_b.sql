INSERT INTO sensors (id, celsius, raw) VALUES (1, 21, 2100), (2, 19, 1900);
