-- At most one member without an email per household.
CREATE TABLE household_members (
    id            serial PRIMARY KEY,
    household_id  integer NOT NULL,
    name          varchar(100) NOT NULL,
    email         varchar(255),
    CONSTRAINT uq_household_members_email UNIQUE NULLS NOT DISTINCT (household_id, email)
);
