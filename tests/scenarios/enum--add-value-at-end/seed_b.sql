INSERT INTO cameras (id, name, status) VALUES
    ('front_door', 'Front Door', 'online'),
    ('backyard', 'Backyard', 'offline'),
    ('garage', 'Garage', 'error');
