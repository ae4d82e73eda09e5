INSERT INTO detections (camera, label) VALUES ('porch', 'person'), ('porch', 'car'), ('yard', 'cat');
