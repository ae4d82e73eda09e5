CREATE SCHEMA ext;
CREATE EXTENSION citext;
CREATE EXTENSION pg_trgm;
CREATE TABLE u (id int PRIMARY KEY, email citext CHECK (similarity(email::text, 'x') >= 0), note text DEFAULT public.show_limit()::text);
CREATE INDEX u_email ON u (email);
CREATE INDEX u_note ON u USING gist (note gist_trgm_ops) WHERE note <> 'public.x';
