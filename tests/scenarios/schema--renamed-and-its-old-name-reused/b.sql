CREATE SCHEMA b; -- @renamed-from: a
CREATE TABLE b.t (id int PRIMARY KEY, v text);
CREATE SCHEMA a;
CREATE TABLE a.log (id int, note text);

CREATE SCHEMA d; -- @renamed-from: c
CREATE TABLE d.u (id int PRIMARY KEY, w text);
CREATE SCHEMA c; -- @renamed-from: e
CREATE TABLE c.x (id int PRIMARY KEY);
CREATE SCHEMA e;
CREATE TABLE e.y (id int);
