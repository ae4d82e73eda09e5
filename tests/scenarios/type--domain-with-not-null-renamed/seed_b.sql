INSERT INTO account VALUES (1, 'a@x', 5), (2, 'b@y', NULL);
