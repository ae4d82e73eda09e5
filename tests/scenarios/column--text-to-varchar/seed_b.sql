INSERT INTO events (batch_id, camera_id, started_at, summary, clip_path) VALUES
    ('b7f3c2a1', 'front_door', '2024-05-01 10:00:00+00', 'Person at the door', '/clips/b7f3c2a1.mp4'),
    ('c9e1d4f0', 'backyard', '2024-05-01 11:30:00+00', 'Dog in the yard', NULL),
    ('d0a8b6e2', 'garage', '2024-05-02 02:15:00+00', NULL, '/clips/d0a8b6e2.mp4');
