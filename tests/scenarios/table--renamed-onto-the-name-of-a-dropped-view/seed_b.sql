INSERT INTO events (kind) VALUES ('motion'), ('doorbell');
