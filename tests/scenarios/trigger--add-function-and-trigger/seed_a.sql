INSERT INTO cameras (id, name) VALUES ('front_door', 'Front Door'), ('backyard', 'Backyard'), ('garage', 'Garage');
