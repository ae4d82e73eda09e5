INSERT INTO cameras (id, name, folder_path) VALUES
    ('front_door', 'Front Door', '/export/foscam/front_door'),
    ('backyard', 'Backyard', '/export/foscam/backyard');
UPDATE cameras SET status = 'offline' WHERE id = 'backyard';
INSERT INTO camera_status_history (camera_id, old_status, new_status) VALUES ('front_door', NULL, 'online');
