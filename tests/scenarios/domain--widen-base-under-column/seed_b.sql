INSERT INTO cameras (id, code) VALUES (1, 'front'), (2, 'yard'), (3, 'door');
