INSERT INTO app.events (ts, k) VALUES (now(), 'a'), (now(), 'b');
INSERT INTO billing.events (ts) VALUES (now());
INSERT INTO billing.audit DEFAULT VALUES;
