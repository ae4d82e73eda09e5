CREATE TABLE readings (id int PRIMARY KEY, label text);
-- The two overloads of tidy part ways: each gets a name of its own.
-- @renamed-from: tidy
CREATE FUNCTION bump(x int) RETURNS int LANGUAGE sql IMMUTABLE AS 'SELECT x + 1';
-- @renamed-from: tidy
CREATE FUNCTION shout(x text) RETURNS text LANGUAGE sql IMMUTABLE AS 'SELECT x || ''!''';
COMMENT ON FUNCTION shout(text) IS 'shouts';
CREATE INDEX readings_label_idx ON readings (shout(label));
CREATE INDEX readings_id_idx ON readings (bump(id));
