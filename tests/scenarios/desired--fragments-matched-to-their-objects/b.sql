-- Unnamed CHECKs get names PostgreSQL chooses; the text of each must go
-- with its own constraint, and a default with its own column.
CREATE TABLE ranges (id int PRIMARY KEY, low int,
    high int CHECK (high > low),
    CHECK (high < 100));
CREATE TABLE stamps (id int PRIMARY KEY, created timestamp, "date" date, x int, y int,
    CHECK (created::date > '2000-01-01'),
    CHECK (x > y));
CREATE TABLE limits (id int PRIMARY KEY, a int CHECK (a > 0), b int);
ALTER TABLE limits ADD CHECK (a < 10);
ALTER TABLE limits ALTER COLUMN a SET DEFAULT 1, ALTER b SET DEFAULT 7;
-- LEAKPROOF is beyond the SQL parser: the other overload's text must not
-- stand in for this one.
CREATE FUNCTION tag(a int) RETURNS int LANGUAGE sql AS $$ SELECT a $$;
CREATE FUNCTION tag(a text) RETURNS text LANGUAGE sql LEAKPROOF AS $$ SELECT a || '?' $$;
