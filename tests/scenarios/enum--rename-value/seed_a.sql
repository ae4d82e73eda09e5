INSERT INTO cameras (id, name, status) VALUES
    ('front_door', 'Front Door', 'online'),
    ('backyard', 'Backyard', 'repair'),
    ('garage', 'Garage', 'offline');
