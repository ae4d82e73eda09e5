INSERT INTO kept VALUES ('new');
