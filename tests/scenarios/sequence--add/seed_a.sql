INSERT INTO events (batch_number, camera_id) VALUES (1, 'front_door'), (2, 'backyard'), (3, 'garage');
