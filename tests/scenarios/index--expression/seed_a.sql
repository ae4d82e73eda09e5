INSERT INTO cameras (id, name, config) VALUES
    ('front_door', 'Front Door', '{"vendor": "foscam", "model": "FI9900P"}'),
    ('backyard', 'Backyard', '{"vendor": "reolink", "model": "RLC-810A"}'),
    ('garage', 'Garage', '{}');
INSERT INTO detections (camera_id, detected_at) VALUES
    ('front_door', '2024-05-01 10:00:00+00'),
    ('backyard', '2024-05-01 23:30:00+00');
