INSERT INTO readings (id, celsius) VALUES (1, 20), (2, 37);
