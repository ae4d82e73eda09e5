CREATE SCHEMA billing; -- @renamed-from: accounts
COMMENT ON SCHEMA billing IS 'Who pays';
CREATE SCHEMA audit;

CREATE TYPE billing.tier AS ENUM ('free', 'premium' -- @renamed-from: pro
);
CREATE DOMAIN billing.email AS text CHECK (VALUE LIKE '%@%');

-- @renamed-from: users
CREATE TABLE billing.members (
    id serial PRIMARY KEY,
    address billing.email UNIQUE, -- @renamed-from: mail
    tier billing.tier NOT NULL DEFAULT 'free',
    seats int
);
-- @renamed-from: users_seats_idx
CREATE INDEX members_seats_idx ON billing.members (seats);

-- @renamed-from: accounts.log
CREATE TABLE audit.log (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id int REFERENCES billing.members (id),
    note text
);

CREATE FUNCTION billing.is_paid(t billing.tier) RETURNS boolean
    LANGUAGE sql IMMUTABLE AS $$ SELECT t <> 'free' $$;

CREATE VIEW billing.paying AS
    SELECT id, address FROM billing.members WHERE billing.is_paid(tier);
