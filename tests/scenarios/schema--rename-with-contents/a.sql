CREATE SCHEMA accounts; -- @renamed-from: billing
COMMENT ON SCHEMA accounts IS 'Who pays';
CREATE SCHEMA audit;

CREATE TYPE accounts.tier AS ENUM ('free', 'pro' -- @renamed-from: premium
);
CREATE DOMAIN accounts.email AS text CHECK (VALUE LIKE '%@%');

-- @renamed-from: billing.members
CREATE TABLE accounts.users (
    id serial PRIMARY KEY,
    mail accounts.email UNIQUE, -- @renamed-from: address
    tier accounts.tier NOT NULL DEFAULT 'free',
    seats int
);
-- @renamed-from: members_seats_idx
CREATE INDEX users_seats_idx ON accounts.users (seats);

-- @renamed-from: audit.log
CREATE TABLE accounts.log (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id int REFERENCES accounts.users (id),
    note text
);

CREATE FUNCTION accounts.is_paid(t accounts.tier) RETURNS boolean
    LANGUAGE sql IMMUTABLE AS $$ SELECT t <> 'free' $$;

CREATE VIEW accounts.paying AS
    SELECT id, mail FROM accounts.users WHERE accounts.is_paid(tier);
