CREATE SCHEMA ext;
CREATE EXTENSION citext SCHEMA ext;
CREATE TABLE u (id int PRIMARY KEY, email ext.citext);
CREATE INDEX u_email ON u (email);
