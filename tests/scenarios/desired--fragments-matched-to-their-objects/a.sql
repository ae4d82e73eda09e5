CREATE TABLE ranges (id int PRIMARY KEY, low int, high int);
CREATE TABLE stamps (id int PRIMARY KEY, created timestamp, "date" date, x int, y int);
CREATE TABLE limits (id int PRIMARY KEY, a int, b int);
CREATE FUNCTION tag(a int) RETURNS int LANGUAGE sql AS $$ SELECT a $$;
CREATE FUNCTION tag(a text) RETURNS text LANGUAGE sql AS $$ SELECT a || '!' $$;
