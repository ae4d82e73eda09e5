INSERT INTO cameras (id, name) VALUES ('front_door', 'Front Door'), ('backyard', 'Backyard');
UPDATE cameras SET name = 'Back Yard' WHERE id = 'backyard';
