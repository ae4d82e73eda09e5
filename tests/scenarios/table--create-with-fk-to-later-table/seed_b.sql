INSERT INTO cameras (id, name, folder_path) VALUES
    ('front_door', 'Front Door', '/export/foscam/front_door'),
    ('backyard', 'Backyard', '/export/foscam/backyard'),
    ('garage', 'Garage', '/export/foscam/garage');
INSERT INTO properties (name, address, timezone) VALUES
    ('Main House', '12 Elm Street', 'America/Chicago'),
    ('Lake Cabin', '4 Shore Road', 'America/Chicago');
INSERT INTO areas (property_id, name, description) VALUES
    (1, 'Driveway', 'Front driveway and street'),
    (1, 'Backyard', NULL),
    (2, 'Dock', 'Boat dock');
