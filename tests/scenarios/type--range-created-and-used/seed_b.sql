INSERT INTO t VALUES (1, '[1,2)', '{"[01:00,02:00)"}', '[a,b)');
