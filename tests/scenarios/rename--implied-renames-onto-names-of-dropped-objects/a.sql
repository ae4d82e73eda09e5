CREATE TABLE t (id serial PRIMARY KEY, v text);
CREATE TABLE x (id int, note text);
CREATE INDEX t2_pkey ON x (note);
CREATE VIEW t2_id_seq AS SELECT 1 AS one;
CREATE TABLE k (id int CONSTRAINT k_pk PRIMARY KEY, w text);
CREATE INDEX k_pkey ON k (w);
