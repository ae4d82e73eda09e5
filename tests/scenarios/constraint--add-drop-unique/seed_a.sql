INSERT INTO households (name, invite_code) VALUES
    ('Smith family', 'SMITH-7F3A'),
    ('Jones family', 'JONES-91BC'),
    ('Lake cabin', NULL);
