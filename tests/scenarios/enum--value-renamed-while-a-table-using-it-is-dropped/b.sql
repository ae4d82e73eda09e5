-- A value of e0 renamed while t0, which uses e0, is dropped: the rename
-- runs first, as renames do; the drop need not come before it.
CREATE TYPE e0 AS ENUM (
    'r0' -- @renamed-from: new
);
CREATE TABLE kept (c e0);
