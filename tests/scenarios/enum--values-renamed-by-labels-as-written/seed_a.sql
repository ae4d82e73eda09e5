INSERT INTO item VALUES (1, 'Two Words'), (2, 'x'), (3, 'it''s'), (4, 'Caps');
