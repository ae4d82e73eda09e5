CREATE TYPE severity AS ENUM ('info', 'notice', 'warning', 'critical');
CREATE TYPE severity_band AS RANGE (subtype = severity);
CREATE TABLE alert_rules (
    id      int PRIMARY KEY,
    floor   severity NOT NULL,
    band    severity_band
);
