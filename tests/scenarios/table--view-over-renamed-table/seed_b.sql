INSERT INTO cameras (id, name) VALUES ('front_door', 'Front Door'), ('driveway', 'Driveway');
INSERT INTO camera_zones (camera_id, name, enabled) VALUES
    ('front_door', 'Porch', true),
    ('driveway', 'Car', true),
    ('driveway', 'Street', false);
