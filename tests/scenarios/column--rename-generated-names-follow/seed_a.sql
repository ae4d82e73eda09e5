INSERT INTO household_members (household_id, name, email, trust) VALUES
    (1, 'Alice', 'alice@example.com', 5),
    (1, 'Bob', 'bob@example.com', 3),
    (1, 'Dog walker', NULL, 1);
