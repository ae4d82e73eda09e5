CREATE TYPE e0 AS ENUM (
    'new' -- @renamed-from: r0
);
CREATE TABLE t0 (c0 e0);
CREATE TABLE kept (c e0);
