INSERT INTO keep VALUES (1);
INSERT INTO households VALUES (1, NULL);
INSERT INTO members VALUES (1, 1);
UPDATE households SET owner_id = 1;
