INSERT INTO a.t VALUES (1, 'one'), (2, 'two');
INSERT INTO c.u VALUES (1, 'u1');
INSERT INTO e.x VALUES (7);
