INSERT INTO app.events VALUES (1); INSERT INTO billing.events VALUES (2); INSERT INTO archive.events_old VALUES (3);
