CREATE SCHEMA a;
CREATE TABLE a.t (id int PRIMARY KEY, v text);

CREATE SCHEMA c; -- @renamed-from: d
CREATE TABLE c.u (id int PRIMARY KEY, w text);
CREATE SCHEMA e; -- @renamed-from: c
CREATE TABLE e.x (id int PRIMARY KEY);
