-- Chains inside a table and types (b <- a, c <- b): each name is freed
-- before it is taken, the last link first, and the values follow.
CREATE TYPE e AS ENUM (
  'b', -- @renamed-from: a
  'c' -- @renamed-from: b
);
CREATE TYPE pt AS (
  q int, -- @renamed-from: p
  r int -- @renamed-from: q
);
CREATE TABLE t (
  id int PRIMARY KEY,
  b int, -- @renamed-from: a
  c int, -- @renamed-from: b
  v e,
  d pt,
  CONSTRAINT k2 UNIQUE (b), -- @renamed-from: k1
  CONSTRAINT k3 UNIQUE (c) -- @renamed-from: k2
);
