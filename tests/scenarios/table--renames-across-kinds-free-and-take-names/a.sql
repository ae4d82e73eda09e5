-- Names taken across kinds: tables, keys' indexes, indexes, views and
-- sequences share one namespace per schema.
CREATE TABLE other (id int PRIMARY KEY);
-- @renamed-from: other_pkey
CREATE TABLE x (id serial PRIMARY KEY);
-- @renamed-from: bar
CREATE TABLE foo (id int);
CREATE TABLE z (id int);
-- @renamed-from: foo
CREATE INDEX zi ON z (id);
-- @renamed-from: vw2
CREATE VIEW vw AS SELECT 1 AS x;
-- @renamed-from: vw
CREATE SEQUENCE sq;
