CREATE TYPE floatrange AS RANGE (subtype = float8);
CREATE TABLE t (id int PRIMARY KEY, r floatrange, rs floatmultirange, ra floatrange[]);
CREATE INDEX t_r ON t USING gist (r);
