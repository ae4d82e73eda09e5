-- x takes the name other's key frees (other_pkey), the index zi the name
-- the table foo frees, the sequence sq the name the view vw frees: each
-- name is freed before it is taken, whatever the kinds.
CREATE TABLE other (id int, CONSTRAINT other_pk PRIMARY KEY (id));
-- @renamed-from: x
CREATE TABLE other_pkey (id serial PRIMARY KEY);
-- @renamed-from: foo
CREATE TABLE bar (id int);
CREATE TABLE z (id int);
-- @renamed-from: zi
CREATE INDEX foo ON z (id);
-- @renamed-from: vw
CREATE VIEW vw2 AS SELECT 1 AS x;
-- @renamed-from: sq
CREATE SEQUENCE vw;
