INSERT INTO cameras (id, name) VALUES ('front_door', 'Front Door'), ('driveway', 'Driveway');
INSERT INTO zones (camera_id, name, enabled) VALUES
    ('front_door', 'Porch', true),
    ('front_door', 'Mailbox', false),
    ('driveway', 'Car', true);
