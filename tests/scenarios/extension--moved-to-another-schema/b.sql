CREATE SCHEMA ext;
CREATE EXTENSION citext SCHEMA ext;
CREATE EXTENSION pg_trgm SCHEMA ext;
CREATE TABLE u (id int PRIMARY KEY, email ext.citext CHECK (ext.similarity(email::text, 'x') >= 0), note text DEFAULT ext.show_limit()::text);
CREATE INDEX u_email ON u (email);
CREATE INDEX u_note ON u USING gist (note ext.gist_trgm_ops) WHERE note <> 'public.x';
