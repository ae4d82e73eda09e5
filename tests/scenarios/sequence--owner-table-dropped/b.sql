-- The table that owned the sequence is dropped; the sequence stays for
-- another table's default: OWNED BY NONE comes before the DROP TABLE.
CREATE SEQUENCE t1_id_seq;
CREATE TABLE t2 (id int PRIMARY KEY DEFAULT nextval('t1_id_seq'));
