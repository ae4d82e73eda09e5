CREATE FUNCTION time_subtype_diff(x time, y time) RETURNS float8 AS 'SELECT EXTRACT(EPOCH FROM (x - y))' LANGUAGE sql STRICT IMMUTABLE;
CREATE TYPE timerange AS RANGE (subtype = time, subtype_diff = time_subtype_diff);
CREATE TYPE floatrange AS RANGE (subtype = float8, subtype_diff = float8mi);
COMMENT ON TYPE floatrange IS 'floats';
CREATE TYPE textrange AS RANGE (subtype = text, collation = "C");
CREATE TABLE t (id int PRIMARY KEY, r floatrange, tr timerange[], x textrange);
CREATE INDEX t_r ON t USING gist (r);
