-- @renamed-from: f8range
CREATE TYPE floatrange AS RANGE (subtype = float8, subtype_diff = float8mi);
CREATE TABLE t (id int PRIMARY KEY, r floatrange);
