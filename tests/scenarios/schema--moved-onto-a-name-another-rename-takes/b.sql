-- b.z takes the name b.x (listed first), which a.x would keep moving to
-- b; a.x cannot take y where it is either (a.y stays): it moves under a
-- temporary name and takes y in b.
CREATE SCHEMA a;
CREATE SCHEMA b;
CREATE TABLE a.y (id int);
-- @renamed-from: b.z
CREATE TABLE b.x (id int);
-- @renamed-from: a.x
CREATE TABLE b.y (id int);
