-- The enum is renamed and gains a value: the value is added under the
-- new name, after the rename (adding it first of all, as values added to
-- an enum that keeps its name are, named a type not there yet).
-- @renamed-from: old_status
CREATE TYPE status AS ENUM ('a', 'b');
CREATE TABLE t (s status);
