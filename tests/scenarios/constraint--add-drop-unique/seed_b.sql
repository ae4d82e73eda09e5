INSERT INTO households (name, invite_code) VALUES
    ('Smith family', 'SMITH-7F3A'),
    ('Jones family', NULL),
    ('Lake cabin', NULL);
