INSERT INTO archive.app_events VALUES (1); INSERT INTO archive.billing_events VALUES (2); INSERT INTO archive.events_old VALUES (3);
