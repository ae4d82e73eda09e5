INSERT INTO sites (name, timezone) VALUES ('Main House', 'America/Chicago'), ('Lake Cabin', 'America/Chicago');
INSERT INTO areas (site_id, name) VALUES (1, 'Driveway'), (1, 'Backyard'), (2, 'Dock');
