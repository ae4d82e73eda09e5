INSERT INTO b.t VALUES (1, 'first'); INSERT INTO c.t VALUES (2, 'second'); INSERT INTO c.u VALUES ('x');
