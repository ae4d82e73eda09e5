INSERT INTO cameras (id, name, folder_path) VALUES
    ('front_door', 'Front Door', '/export/foscam/front_door'),
    ('backyard', 'Backyard', '/export/foscam/backyard');
INSERT INTO camera_zones (camera_id, name) VALUES
    ('front_door', 'Porch'), ('front_door', 'Walkway'), ('backyard', 'Lawn');
