INSERT INTO properties (name, timezone) VALUES ('Main House', 'America/Chicago'), ('Office', 'Europe/Berlin');
INSERT INTO areas (site_id, name) VALUES (1, 'Driveway'), (2, 'Lobby');
