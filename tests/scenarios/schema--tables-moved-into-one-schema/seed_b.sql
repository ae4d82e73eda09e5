INSERT INTO app.users VALUES (1, now()); INSERT INTO app.orders VALUES (1, now());
