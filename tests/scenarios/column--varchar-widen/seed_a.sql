INSERT INTO household_members (household_id, name, email) VALUES
    (1, 'Alice Smith', 'alice@example.com'),
    (1, 'Bob Smith', NULL),
    (2, 'Carol Jones', 'carol@example.com');
