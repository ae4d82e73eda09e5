INSERT INTO areas (name, color) VALUES ('Driveway', '#76B900'), ('Backyard', DEFAULT);
INSERT INTO camera_zones (name, color) VALUES ('Porch', '#3B82F6'), ('Gate', NULL);
