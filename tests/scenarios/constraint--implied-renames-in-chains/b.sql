-- Names that follow from definitions, in chains: once columns a, b, c are
-- b, c, d, the keys PostgreSQL named t_a_key, t_b_key are t_b_key,
-- t_c_key in a fresh build (t_b_key is renamed on before t_a_key takes
-- its name), the CHECK t_c_check is t_d_check; and index i gives its name
-- to j (same definitions, no annotation). Nothing is rebuilt.
CREATE TABLE t (
  id int PRIMARY KEY,
  b int UNIQUE, -- @renamed-from: a
  c int UNIQUE, -- @renamed-from: b
  d int CHECK (d > 0) -- @renamed-from: c
);
CREATE TABLE x (x int, y int);
CREATE INDEX i_old ON x (x);
CREATE INDEX i ON x (y);
-- u_x_check1's definition is wanted under u_x_check, which u_x_check
-- keeps until it is dropped: no rename onto it (dropped and added).
CREATE TABLE u (
  x int,
  CONSTRAINT u_x_check CHECK (x < 100)
);
