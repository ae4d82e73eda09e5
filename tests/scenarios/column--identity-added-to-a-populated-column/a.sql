CREATE TABLE cameras (
    id    bigint PRIMARY KEY,
    name  text NOT NULL
);

CREATE TABLE offsets (
    id    bigint PRIMARY KEY,
    note  text
);
