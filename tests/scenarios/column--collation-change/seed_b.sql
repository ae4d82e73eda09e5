INSERT INTO cameras (id, name, folder_path) VALUES
    ('front_door', 'Front Door', '/export/foscam/front_door'),
    ('backyard', 'backyard', '/export/foscam/backyard'),
    ('garage', 'Garage', '/export/foscam/Garage');
