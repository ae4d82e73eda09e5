CREATE TABLE t1 (id serial PRIMARY KEY);
CREATE TABLE t2 (id int PRIMARY KEY DEFAULT nextval('t1_id_seq'));
