CREATE DOMAIN email_address AS text NOT NULL CHECK (VALUE LIKE '%@%'); -- @renamed-from: email
CREATE DOMAIN rating int NULL; -- @renamed-from: score

CREATE TABLE account (
    id int PRIMARY KEY,
    e email_address,
    s rating
);

CREATE VIEW account_emails AS SELECT id, e FROM account;
