CREATE TABLE accounts (
    id    uuid NOT NULL,
    email text
);
