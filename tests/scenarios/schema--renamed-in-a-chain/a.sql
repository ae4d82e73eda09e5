-- Backward, the chain the other way (c -> b while b -> a).
CREATE SCHEMA a; -- @renamed-from: b
CREATE SCHEMA b; -- @renamed-from: c
CREATE TABLE a.t (id int, v text);
CREATE TABLE b.t (id int, w text);
CREATE TYPE a.e AS ENUM ('x');
CREATE TABLE b.u (e a.e);
