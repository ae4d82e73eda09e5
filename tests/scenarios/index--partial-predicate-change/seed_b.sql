INSERT INTO events (camera_id, started_at, reviewed, deleted_at) VALUES
    ('front_door', '2024-05-01 10:00:00+00', false, NULL),
    ('backyard', '2024-05-01 11:30:00+00', true, NULL),
    ('garage', '2024-05-02 02:15:00+00', false, '2024-05-03 00:00:00+00');
