-- Schemas renamed in a chain (b <- a, c <- b): b is renamed to c before
-- a takes its name, and everything in them follows.
CREATE SCHEMA b; -- @renamed-from: a
CREATE SCHEMA c; -- @renamed-from: b
CREATE TABLE b.t (id int, v text);
CREATE TABLE c.t (id int, w text);
CREATE TYPE b.e AS ENUM ('x');
CREATE TABLE c.u (e b.e);
