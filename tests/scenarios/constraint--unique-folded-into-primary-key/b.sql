-- PostgreSQL folds a UNIQUE on the primary key's columns into the primary
-- key, which takes the UNIQUE's name: one constraint, accounts_id_uq, a
-- PRIMARY KEY.
CREATE TABLE accounts (
    id    uuid NOT NULL,
    email text,
    PRIMARY KEY (id),
    CONSTRAINT accounts_id_uq UNIQUE (id)
);

CREATE TABLE api_keys (
    key        uuid NOT NULL,
    account_id uuid REFERENCES accounts (id),
    PRIMARY KEY (key),
    CONSTRAINT api_keys_key_uq UNIQUE (key)
);
