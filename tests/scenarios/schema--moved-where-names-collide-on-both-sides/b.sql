-- orders moved to archive, where its sequence, key and index take the
-- names a fresh build gives them there (orders_id_seq1, orders_pkey1,
-- orders_n_idx1): names s1 holds too.
CREATE SCHEMA s1;
CREATE SCHEMA archive;
CREATE SEQUENCE s1.orders_id_seq1;
CREATE TABLE s1.orders_pkey1 (x int);
CREATE TABLE s1.orders_uq (x int);
CREATE SEQUENCE archive.orders_id_seq;
CREATE TABLE archive.items (id int);
CREATE INDEX orders_pkey ON archive.items (id);
CREATE INDEX orders_n_idx ON archive.items (id);
-- @renamed-from: s1.orders
CREATE TABLE archive.orders (
    id serial,
    n  int,
    CONSTRAINT orders_pkey1 PRIMARY KEY (id),
    CONSTRAINT orders_uq UNIQUE (n)
);
CREATE INDEX orders_n_idx1 ON archive.orders (n);
