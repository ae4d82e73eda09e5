-- Renames onto names that objects of other kinds hold, objects the files
-- drop: a table onto an enum's name (pg_type holds the table's row type),
-- a domain onto a view's, a key onto an index's (its own index takes the
-- name among the relations). The holder is set aside, the rename runs,
-- the holder is dropped.
CREATE TABLE c ( -- @renamed-from: b
  id serial PRIMARY KEY,
  v text
);
CREATE DOMAIN w AS int; -- @renamed-from: d
CREATE TABLE t (
  id int,
  s text,
  CONSTRAINT t_idx UNIQUE (id) -- @renamed-from: k
);
-- The aside name is taken: the next one is used.
CREATE TABLE c__pgrecon_old (id int);
