INSERT INTO household_members (household_id, name, email_address, trusted_level) VALUES
    (1, 'Alice', 'alice@example.com', 5),
    (2, 'Carol', 'carol@example.com', 4),
    (2, 'Cleaner', NULL, 2);
