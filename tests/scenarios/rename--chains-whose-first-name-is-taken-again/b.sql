-- Chains (a -> b, b -> c) of columns, constraints, enum values and tables,
-- and a new object under each chain's first name. Forward: the chain
-- runs, the new one is made. Rolled back: the new one is set aside and
-- dropped, the chain runs backward, and the first values are back under
-- their first names.
CREATE TYPE st AS ENUM (
  'b', -- @renamed-from: a
  'c', -- @renamed-from: b
  'z', 'a');
CREATE TABLE t (id int PRIMARY KEY,
  b int, -- @renamed-from: a
  c text, -- @renamed-from: b
  a numeric DEFAULT 0,
  s st DEFAULT 'b',
  CONSTRAINT cb CHECK (b > 0), -- @renamed-from: ca
  CONSTRAINT cc CHECK (c <> ''), -- @renamed-from: cb
  CONSTRAINT ca CHECK (a >= 0));
CREATE INDEX t_s ON t(id) WHERE s = 'c';
CREATE TABLE tb (id int, va text); -- @renamed-from: ta
CREATE TABLE tc (id int, vb text); -- @renamed-from: tb
CREATE TABLE ta (id int, newcol text);
