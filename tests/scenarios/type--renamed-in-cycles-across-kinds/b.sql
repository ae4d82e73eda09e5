-- Names passed round objects of different kinds: enum x -> y, domain
-- y -> z, composite z -> w, table w -> x; and an enum and a domain
-- swapping names (p <-> q). Each name has another kind before and after,
-- so the files tell whether the renames ran; one object goes through a
-- temporary name, the domain's CHECK takes the name a fresh build gives
-- it (renamed, not added again: PostgreSQL refuses that while a table
-- column has the composite type).
CREATE TYPE y AS ENUM ('e1', 'e2'); -- @renamed-from: x
CREATE DOMAIN z AS int CHECK (VALUE > 0); -- @renamed-from: y
CREATE TYPE w AS (a y, b z); -- @renamed-from: z
CREATE TABLE x ( -- @renamed-from: w
  id serial PRIMARY KEY,
  c w,
  d z,
  e y
);
CREATE TYPE q AS ENUM ('on', 'off'); -- @renamed-from: p
CREATE DOMAIN p AS text; -- @renamed-from: q
CREATE TABLE t (id int PRIMARY KEY, e q, d p);
