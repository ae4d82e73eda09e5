INSERT INTO detections (id, frames) VALUES (1, 10), (2, 25);
