-- The range is replaced by another (not renamed): the composite type
-- over it is rebuilt, and the old range dropped only after the old
-- composite type that still uses it.
CREATE TYPE money_band AS RANGE (subtype = numeric);
CREATE TYPE offer AS (qty int, band money_band);
CREATE TABLE quotes (id int PRIMARY KEY, o offer);
