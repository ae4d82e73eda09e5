-- What later ALTER statements set is part of the object: created from its
-- CREATE text alone, it would lack them.
CREATE TABLE t (id int PRIMARY KEY, a int);
CREATE FUNCTION f(x int) RETURNS int LANGUAGE sql AS 'select x';
ALTER FUNCTION f(int) STABLE;
ALTER FUNCTION f(int) SET search_path = public;
CREATE VIEW v AS SELECT id FROM t;
ALTER VIEW v SET (security_barrier = true);
CREATE INDEX t_a ON t (a);
ALTER INDEX t_a SET (fillfactor = 50);
CREATE DOMAIN d AS int;
ALTER DOMAIN d ADD CONSTRAINT pos CHECK (VALUE > 0);
ALTER DOMAIN d SET DEFAULT 1;
-- `*` is expanded when the view is made, before the column is added.
CREATE TABLE w (a int);
CREATE VIEW star AS SELECT * FROM w;
ALTER TABLE w ADD COLUMN b int;
