INSERT INTO s1.users VALUES (1, now()); INSERT INTO s2.orders VALUES (1, now());
