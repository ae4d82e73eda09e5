-- Backward, the cycles the other way round.
CREATE TYPE x AS ENUM ('e1', 'e2'); -- @renamed-from: y
CREATE DOMAIN y AS int CHECK (VALUE > 0); -- @renamed-from: z
CREATE TYPE z AS (a x, b y); -- @renamed-from: w
CREATE TABLE w ( -- @renamed-from: x
  id serial PRIMARY KEY,
  c z,
  d y,
  e x
);
CREATE TYPE p AS ENUM ('on', 'off'); -- @renamed-from: q
CREATE DOMAIN q AS text; -- @renamed-from: p
CREATE TABLE t (id int PRIMARY KEY, e p, d q);
