INSERT INTO households (id, name) VALUES
    (1, 'Smith family'),
    (2, 'Lake cabin co-op'),
    (7, 'Jones family');
