-- 'notice' goes: the enum is rebuilt, and the range over it with it
-- (a range's subtype cannot change in place); both columns are converted.
CREATE TYPE severity AS ENUM ('info', 'warning', 'critical');
CREATE TYPE severity_band AS RANGE (subtype = severity);
CREATE TABLE alert_rules (
    id      int PRIMARY KEY,
    floor   severity NOT NULL,
    band    severity_band
);
