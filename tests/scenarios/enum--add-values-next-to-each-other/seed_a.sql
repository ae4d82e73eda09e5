INSERT INTO jobs (id, severity) VALUES (1, 'low'), (2, 'high');
