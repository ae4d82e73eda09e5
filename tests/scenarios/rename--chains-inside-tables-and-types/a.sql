-- The annotations here make the backward plan a chain too.
CREATE TYPE e AS ENUM (
  'a', -- @renamed-from: b
  'b' -- @renamed-from: c
);
CREATE TYPE pt AS (
  p int, -- @renamed-from: q
  q int -- @renamed-from: r
);
CREATE TABLE t (
  id int PRIMARY KEY,
  a int, -- @renamed-from: b
  b int, -- @renamed-from: c
  v e,
  d pt,
  CONSTRAINT k1 UNIQUE (a), -- @renamed-from: k2
  CONSTRAINT k2 UNIQUE (b) -- @renamed-from: k3
);
