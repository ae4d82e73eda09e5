INSERT INTO cameras (id, name, folder_path) VALUES
    ('front_door', 'Front Door', '/export/foscam/front_door'),
    ('backyard', 'Backyard', '/export/foscam/backyard');
UPDATE cameras SET folder_path = '/export/reolink/backyard' WHERE id = 'backyard';
UPDATE cameras SET status = 'offline' WHERE id = 'front_door';
