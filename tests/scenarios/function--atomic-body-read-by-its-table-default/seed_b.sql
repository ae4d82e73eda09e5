INSERT INTO other VALUES (1);
INSERT INTO tickets (id) VALUES (1), (2);
