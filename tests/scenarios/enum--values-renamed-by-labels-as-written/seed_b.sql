INSERT INTO item VALUES (1, 'two words'), (2, 'y'), (3, 'it is'), (4, 'caps');
