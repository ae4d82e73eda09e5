CREATE TYPE e AS ENUM ('a', 'b');
CREATE TYPE pt AS (p int, q int);
CREATE TABLE t (
  id int PRIMARY KEY,
  a int,
  v e,
  d pt,
  CONSTRAINT k UNIQUE (a)
);
