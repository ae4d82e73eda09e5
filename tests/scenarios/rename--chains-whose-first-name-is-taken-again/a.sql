CREATE TYPE st AS ENUM ('a','b','z');
CREATE TABLE t (id int PRIMARY KEY, a int, b text, s st DEFAULT 'a', CONSTRAINT ca CHECK (a > 0), CONSTRAINT cb CHECK (b <> ''));
CREATE INDEX t_s ON t(id) WHERE s = 'b';
CREATE TABLE ta (id int, va text);
CREATE TABLE tb (id int, vb text);
