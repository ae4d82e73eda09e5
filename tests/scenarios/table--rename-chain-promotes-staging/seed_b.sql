INSERT INTO alerts_archive (camera) VALUES ('porch'), ('yard');
INSERT INTO alerts (camera) VALUES ('porch'), ('gate'), ('door'), ('yard');
