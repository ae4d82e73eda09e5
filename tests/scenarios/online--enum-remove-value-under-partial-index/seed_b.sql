INSERT INTO jobs VALUES (1, 'pending'), (2, 'active'), (3, 'active');
