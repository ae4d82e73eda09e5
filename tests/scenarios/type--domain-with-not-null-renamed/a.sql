CREATE DOMAIN email AS text NOT NULL CHECK (VALUE LIKE '%@%'); -- @renamed-from: email_address
CREATE DOMAIN score int NULL; -- @renamed-from: rating

CREATE TABLE account (
    id int PRIMARY KEY,
    e email,
    s score
);

CREATE VIEW account_emails AS SELECT id, e FROM account;
