CREATE TABLE t (id int NOT NULL, code text NOT NULL);
