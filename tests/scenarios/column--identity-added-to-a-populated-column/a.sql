CREATE TABLE cameras (
    id    bigint PRIMARY KEY,
    name  text NOT NULL
);
