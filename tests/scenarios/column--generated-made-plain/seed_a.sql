INSERT INTO events (summary, reasoning) VALUES ('person at the door', 'motion and face'), ('cat on porch', NULL);
