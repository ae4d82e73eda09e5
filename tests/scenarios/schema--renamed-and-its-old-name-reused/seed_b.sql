INSERT INTO b.t VALUES (1, 'one'), (2, 'two');
INSERT INTO d.u VALUES (1, 'u1');
INSERT INTO c.x VALUES (7);
INSERT INTO a.log VALUES (1, 'new');
INSERT INTO e.y VALUES (1);
