INSERT INTO gauges (id, level, name, tag) VALUES (1, 40, 'boiler', 'B1'), (2, 95, 'tank', 'T2');
