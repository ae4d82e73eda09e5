CREATE TYPE price_band AS RANGE (subtype = numeric);
CREATE TYPE offer AS (qty int, band price_band);
CREATE TABLE quotes (id int PRIMARY KEY, o offer);
