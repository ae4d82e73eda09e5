INSERT INTO alerts (event_id, status) VALUES (1, 'pending'), (2, 'delivered'), (3, 'acknowledged');
