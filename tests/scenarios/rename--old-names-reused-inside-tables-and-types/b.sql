-- Each renamed thing's old name is taken again by a new one: a column, a
-- key, an attribute and an enum value. Forward renames, then adds; the
-- rollback sets the new ones aside, renames back and drops what was set
-- aside, so the old values come back under their old names.
CREATE TYPE e AS ENUM (
  'z', -- @renamed-from: a
  'b',
  'a'
);
CREATE TYPE pt AS (
  r int, -- @renamed-from: p
  q int,
  p int
);
CREATE TABLE t (
  id int PRIMARY KEY,
  a__pgrecon_old int, -- the aside name is taken: the next one is used
  z int, -- @renamed-from: a
  v e,
  d pt,
  a int,
  CONSTRAINT k2 UNIQUE (z), -- @renamed-from: k
  CONSTRAINT k UNIQUE (a)
);
