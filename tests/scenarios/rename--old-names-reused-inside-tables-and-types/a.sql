CREATE TYPE e AS ENUM ('a', 'b');
CREATE TYPE pt AS (p int, q int);
CREATE TABLE t (
  id int PRIMARY KEY,
  a__pgrecon_old int, -- the aside name is taken: the next one is used
  a int,
  v e,
  d pt,
  CONSTRAINT k UNIQUE (a)
);
