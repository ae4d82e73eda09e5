INSERT INTO t VALUES (1,1,'x','a'),(2,2,'y','b'),(3,3,'z','z');
INSERT INTO ta VALUES (1, 'first'); INSERT INTO tb VALUES (2, 'second');
