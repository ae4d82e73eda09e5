INSERT INTO cameras VALUES (1, 'Front Door', 1, NULL), (2, 'Garage', 0, now());
