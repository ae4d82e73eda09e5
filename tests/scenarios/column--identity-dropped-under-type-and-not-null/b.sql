-- The identity goes first: PostgreSQL refuses DROP NOT NULL on an identity
-- column and a type an identity cannot have.
CREATE TABLE tickets (
    number text,
    title  text NOT NULL
);
