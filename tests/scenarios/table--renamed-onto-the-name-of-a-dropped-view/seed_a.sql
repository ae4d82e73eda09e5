INSERT INTO events_v2 (kind) VALUES ('motion'), ('doorbell'), ('motion');
