INSERT INTO alerts (id, level, seen) VALUES (1, 'low', '{low}'), (2, 'high', '{high}');
