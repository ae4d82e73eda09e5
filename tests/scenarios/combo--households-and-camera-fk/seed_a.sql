INSERT INTO cameras (id, name, folder_path) VALUES
    ('front_door', 'Front Door', '/export/foscam/front_door'),
    ('backyard', 'Backyard', '/export/foscam/backyard'),
    ('garage', 'Garage', '/export/foscam/garage');
