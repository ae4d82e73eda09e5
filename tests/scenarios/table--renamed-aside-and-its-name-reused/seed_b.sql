INSERT INTO detections_archive (camera, label) VALUES ('porch', 'person'), ('yard', 'cat');
INSERT INTO detections (camera, label, score) VALUES ('porch', 'person', 0.9);
