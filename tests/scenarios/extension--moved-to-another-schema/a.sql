CREATE SCHEMA ext;
CREATE EXTENSION citext;
CREATE TABLE u (id int PRIMARY KEY, email citext);
CREATE INDEX u_email ON u (email);
