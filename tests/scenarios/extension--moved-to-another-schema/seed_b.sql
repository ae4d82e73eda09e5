INSERT INTO u VALUES (1, 'A@x.org');
