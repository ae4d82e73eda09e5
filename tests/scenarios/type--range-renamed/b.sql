-- @renamed-from: floatrange
CREATE TYPE f8range AS RANGE (subtype = float8, subtype_diff = float8mi);
CREATE TABLE t (id int PRIMARY KEY, r f8range);
