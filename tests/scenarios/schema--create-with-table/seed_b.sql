INSERT INTO cameras (id, name) VALUES ('front_door', 'Front Door'), ('backyard', 'Backyard');
INSERT INTO analytics.daily_camera_stats (camera_id, day, event_count, max_risk) VALUES
    ('front_door', '2024-05-01', 12, 80),
    ('front_door', '2024-05-02', 3, 20),
    ('backyard', '2024-05-01', 5, NULL);
