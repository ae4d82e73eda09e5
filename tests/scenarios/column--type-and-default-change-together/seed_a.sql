INSERT INTO integrations (id) VALUES (1), (2);
