INSERT INTO gauges (id, level, name, tag) VALUES (1, 40, 'boiler', 'B1'), (2, 90, 'tank', 'T1');
