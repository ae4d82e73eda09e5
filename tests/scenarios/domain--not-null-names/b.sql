-- @renamed-from: percentage
CREATE DOMAIN pct AS smallint NOT NULL
    CONSTRAINT percentage_range CHECK (VALUE BETWEEN 0 AND 100);

CREATE DOMAIN label AS text NOT NULL;

CREATE DOMAIN code AS text CONSTRAINT "code is required" NOT NULL;

CREATE TABLE gauges (
    id    integer PRIMARY KEY,
    level pct,
    name  label,
    tag   code
);
