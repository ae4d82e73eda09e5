INSERT INTO cameras (id, name, folder_path) VALUES
    ('front_door', 'Front Door', '/export/foscam/front_door'),
    ('backyard', 'Backyard', '/export/foscam/backyard');
INSERT INTO zones (camera_id, name, zone_type, coordinates, priority) VALUES
    ('front_door', 'Porch', 'entry_point', '[[0.1,0.2],[0.5,0.2],[0.5,0.9],[0.1,0.9]]', 90),
    ('front_door', 'Sidewalk', 'sidewalk', '[[0.6,0.6],[1.0,0.6],[1.0,1.0],[0.6,1.0]]', 20),
    ('backyard', 'Lawn', 'yard', '[[0,0],[1,0],[1,1],[0,1]]', 50);
