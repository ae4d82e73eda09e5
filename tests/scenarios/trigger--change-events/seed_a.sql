INSERT INTO events (camera_id, summary, reasoning) VALUES
    ('front_door', 'Person at the door', 'Unknown person lingered'),
    ('backyard', 'Dog in the yard', NULL),
    ('garage', NULL, 'Headlights at night');
