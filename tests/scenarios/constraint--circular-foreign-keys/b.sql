-- Two tables that refer to each other: created, then their keys added;
-- dropped (backward) after their keys to each other are.
CREATE TABLE keep (id int PRIMARY KEY);
CREATE TABLE households (id int PRIMARY KEY, owner_id int);
CREATE TABLE members (id int PRIMARY KEY, household_id int REFERENCES households (id));
ALTER TABLE households ADD CONSTRAINT households_owner_fk FOREIGN KEY (owner_id) REFERENCES members (id);
