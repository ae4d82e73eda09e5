INSERT INTO cameras (id, name, folder_path) VALUES
    ('front_door', 'Front Door', '/export/foscam/front_door'),
    ('backyard', 'Backyard', '/export/foscam/backyard');
INSERT INTO scene_changes (camera_id, change_type, similarity_score) VALUES
    ('front_door', 'view_blocked', 0.12),
    ('front_door', 'unknown', 0.71),
    ('backyard', 'angle_changed', 0.44);
