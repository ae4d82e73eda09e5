INSERT INTO households (name) VALUES ('Smith family'), ('Lake cabin co-op');
INSERT INTO households (id, name) VALUES (100, 'Imported household');
