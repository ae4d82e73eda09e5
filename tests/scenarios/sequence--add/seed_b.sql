INSERT INTO events (camera_id) VALUES ('front_door'), ('backyard');
INSERT INTO events (batch_number, camera_id) VALUES (7, 'garage');
SELECT nextval('export_file_seq');
