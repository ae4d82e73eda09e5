INSERT INTO cameras (id, name, folder_path) VALUES
    ('front_door', 'Front Door', '/export/foscam/front_door'),
    ('backyard', 'Backyard', '/export/foscam/backyard');
INSERT INTO camera_zones (camera_id, name, zone_type, coordinates, priority) VALUES
    ('front_door', 'Porch', 'entry_point', '[[0.1,0.2],[0.5,0.2],[0.5,0.9],[0.1,0.9]]', 90),
    ('backyard', 'Lawn', 'yard', '[[0,0],[1,0],[1,1],[0,1]]', 50),
    ('backyard', 'Gate', 'entry_point', '[[0.8,0.1],[0.95,0.1],[0.95,0.6],[0.8,0.6]]', 80),
    ('backyard', 'Patio', 'other', '[[0.2,0.5],[0.5,0.5],[0.5,0.8],[0.2,0.8]]', 10);
