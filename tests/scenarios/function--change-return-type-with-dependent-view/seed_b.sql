INSERT INTO cameras (id, name) VALUES ('front_door', 'Front Door'), ('backyard', 'Backyard');
INSERT INTO events (camera_id, started_at) VALUES
    ('front_door', '2024-05-01 10:00:00+00'),
    ('front_door', '2024-05-01 22:00:00+00'),
    ('backyard', '2024-05-02 11:30:00+00');
SELECT * FROM camera_stats;
