INSERT INTO areas (name) VALUES ('Driveway'), ('Backyard'), ('Garage');
INSERT INTO cameras (id, name, area_id, backup_area_id) VALUES
    ('front_door', 'Front Door', 1, NULL),
    ('backyard', 'Backyard', 2, 1),
    ('garage', 'Garage', 3, 3);
