INSERT INTO events (camera_id, summary, object_types) VALUES
    ('front_door', 'Person at the door holding a package', 'person,package'),
    ('backyard', 'Dog in the yard', 'dog'),
    ('driveway', NULL, 'car');
