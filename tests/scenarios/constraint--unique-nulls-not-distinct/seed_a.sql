INSERT INTO household_members (household_id, name, email) VALUES
    (1, 'Alice', 'alice@example.com'),
    (1, 'Grandpa', NULL),
    (2, 'Carol', 'carol@example.com'),
    (2, 'Babysitter', NULL);
