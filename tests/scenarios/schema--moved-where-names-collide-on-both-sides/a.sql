-- orders lives in s1. Both schemas hold names in the way of its move:
-- archive has an orders_id_seq sequence and indexes named orders_pkey
-- and orders_n_idx; s1 has the names orders keeps in archive
-- (orders_id_seq1, orders_pkey1, orders_uq), so nothing can be renamed
-- where it is before the move nor keep its name in archive.
CREATE SCHEMA s1;
CREATE SCHEMA archive;
CREATE SEQUENCE s1.orders_id_seq1;
CREATE TABLE s1.orders_pkey1 (x int);
CREATE TABLE s1.orders_uq (x int);
-- @renamed-from: archive.orders
CREATE TABLE s1.orders (
    id serial PRIMARY KEY,
    n  int UNIQUE
);
CREATE INDEX orders_n_idx ON s1.orders (n);
CREATE SEQUENCE archive.orders_id_seq;
CREATE TABLE archive.items (id int);
CREATE INDEX orders_pkey ON archive.items (id);
CREATE INDEX orders_n_idx ON archive.items (id);
