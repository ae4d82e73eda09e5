CREATE TABLE household_members (
    id            serial PRIMARY KEY,
    household_id  integer NOT NULL,
    name          varchar(100) NOT NULL,
    -- @renamed-from: email_address
    email         varchar(255) UNIQUE,
    -- @renamed-from: trusted_level
    trust         smallint NOT NULL DEFAULT 0 CHECK (trust >= 0 AND trust <= 5)
);
