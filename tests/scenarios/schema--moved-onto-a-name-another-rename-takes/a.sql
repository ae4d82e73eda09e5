CREATE SCHEMA a;
CREATE SCHEMA b;
CREATE TABLE a.y (id int);
-- @renamed-from: b.x
CREATE TABLE b.z (id int);
-- @renamed-from: b.y
CREATE TABLE a.x (id int);
