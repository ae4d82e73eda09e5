INSERT INTO detections (camera_id, enrichment_data) VALUES
    ('front_door', '{"clothing": {"upper": "red jacket"}, "face_visible": true}'),
    ('driveway', '{"vehicle": {"type": "sedan", "color": "blue"}}'),
    ('backyard', NULL);
