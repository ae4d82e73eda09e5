INSERT INTO t VALUES (1, '[1.5,2)', '{[1,2),[3,4)}', '{"[1,2)"}'), (2, NULL, NULL, NULL);
