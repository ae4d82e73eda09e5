-- Backward, the column chain the other way.
CREATE TABLE t (
  id int PRIMARY KEY,
  a int UNIQUE, -- @renamed-from: b
  b int UNIQUE, -- @renamed-from: c
  c int CHECK (c > 0) -- @renamed-from: d
);
CREATE TABLE x (x int, y int);
CREATE INDEX i ON x (x);
CREATE INDEX j ON x (y);
CREATE TABLE u (
  x int,
  CONSTRAINT u_x_check CHECK (x > 0),
  CONSTRAINT u_x_check1 CHECK (x < 100)
);
