INSERT INTO a.t VALUES (1, 'first'); INSERT INTO b.t VALUES (2, 'second'); INSERT INTO b.u VALUES ('x');
