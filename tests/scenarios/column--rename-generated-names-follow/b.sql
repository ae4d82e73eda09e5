-- A fresh build names the constraints household_members_email_address_key
-- and household_members_trusted_level_check.
CREATE TABLE household_members (
    id             serial PRIMARY KEY,
    household_id   integer NOT NULL,
    name           varchar(100) NOT NULL,
    -- @renamed-from: email
    email_address  varchar(255) UNIQUE,
    -- @renamed-from: trust
    trusted_level  smallint NOT NULL DEFAULT 0 CHECK (trusted_level >= 0 AND trusted_level <= 5)
);
