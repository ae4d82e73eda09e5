CREATE TABLE household_members (
    id            serial PRIMARY KEY,
    household_id  integer NOT NULL,
    name          varchar(50) NOT NULL,
    email         varchar(255),
    CONSTRAINT uq_household_members_name UNIQUE (household_id, name)
);
