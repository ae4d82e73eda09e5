INSERT INTO archive.app_events (ts, k) VALUES (now(), 'a');
INSERT INTO archive.billing_events (ts) VALUES (now()), (now());
INSERT INTO archive.audit_events DEFAULT VALUES;
