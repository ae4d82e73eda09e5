INSERT INTO alerts (camera) VALUES ('porch'), ('yard'), ('gate');
INSERT INTO alerts_staging (camera) VALUES ('porch');
