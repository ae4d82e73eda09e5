INSERT INTO events (camera_id, summary, reasoning) VALUES
    ('front_door', 'Person at the door', 'Unknown person lingered'),
    ('backyard', 'Dog in the yard', NULL);
UPDATE events SET reasoning = 'Family dog, known' WHERE camera_id = 'backyard';
