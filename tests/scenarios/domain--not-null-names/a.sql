-- PostgreSQL 17 keeps a name for a domain's NOT NULL (pg_constraint, contype
-- 'n'): domain_not_null unless the file names it, and a rename of the domain
-- leaves it as it was. Older majors ignore the names.
-- @renamed-from: pct
CREATE DOMAIN percentage AS smallint NOT NULL
    CONSTRAINT percentage_range CHECK (VALUE BETWEEN 0 AND 100);

CREATE DOMAIN label AS text CONSTRAINT label_required NOT NULL;

CREATE DOMAIN code AS text;

CREATE TABLE gauges (
    id    integer PRIMARY KEY,
    level percentage,
    name  label,
    tag   code
);
