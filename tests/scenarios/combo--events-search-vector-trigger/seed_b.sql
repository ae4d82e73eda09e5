INSERT INTO cameras (id, name) VALUES ('front_door', 'Front Door'), ('backyard', 'Backyard');
INSERT INTO events (batch_id, camera_id, started_at, summary, reasoning, object_types) VALUES
    ('b-001', 'front_door', '2024-05-01 10:00:00+00', 'Person at the door', 'Unknown person lingered', 'person'),
    ('b-002', 'backyard', '2024-05-01 11:30:00+00', 'Dog in the yard', NULL, 'dog');
UPDATE events SET summary = 'Family dog in the yard' WHERE batch_id = 'b-002';
