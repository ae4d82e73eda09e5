INSERT INTO households (name, settings) VALUES
    ('Smith family', '{"timezone": "America/Chicago"}'),
    ('Lake cabin', DEFAULT);
INSERT INTO household_members (household_id, name, email, role, trusted_level) VALUES
    (1, 'Alice Smith', 'alice@example.com', 'owner', 5),
    (1, 'Bob Smith', 'bob@example.com', 'admin', 5),
    (1, 'Dog walker', NULL, 'viewer', 2),
    (2, 'Carol Jones', 'carol@example.com', 'owner', 5);
INSERT INTO cameras (id, name, folder_path, household_id) VALUES
    ('front_door', 'Front Door', '/export/foscam/front_door', 1),
    ('backyard', 'Backyard', '/export/foscam/backyard', 1),
    ('dock', 'Dock', '/export/reolink/dock', 2),
    ('spare', 'Spare', '/export/foscam/spare', NULL);
