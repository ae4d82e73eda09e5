CREATE TABLE zones (
    id   integer PRIMARY KEY,
    name text
);
