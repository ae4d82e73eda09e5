-- Backward, the renames the other way, and the dropped objects made
-- again once their names are free.
CREATE TABLE b ( -- @renamed-from: c
  id serial PRIMARY KEY,
  v text
);
CREATE TYPE c AS ENUM ('p', 'q');
CREATE DOMAIN d AS int; -- @renamed-from: w
CREATE VIEW w AS SELECT 1 AS one;
CREATE TABLE t (
  id int,
  s text,
  CONSTRAINT k UNIQUE (id) -- @renamed-from: t_idx
);
CREATE INDEX t_idx ON t (s);
-- The aside name is taken: the next one is used.
CREATE TABLE c__pgrecon_old (id int);
