INSERT INTO events (camera_id, started_at, summary, reasoning, object_types) VALUES
    ('front_door', '2024-05-01 10:00:00+00', 'Person at the door', 'Unknown person lingered', 'person'),
    ('backyard', '2024-05-01 11:30:00+00', 'Dog in the yard', NULL, 'dog'),
    ('garage', '2024-05-02 02:15:00+00', NULL, 'Headlights at night', 'car,person');
