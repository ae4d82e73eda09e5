CREATE TABLE readings (id int PRIMARY KEY, label text);
-- @renamed-from: bump
CREATE FUNCTION tidy(x int) RETURNS int LANGUAGE sql IMMUTABLE AS 'SELECT x + 1';
-- @renamed-from: shout
CREATE FUNCTION tidy(x text) RETURNS text LANGUAGE sql IMMUTABLE AS 'SELECT x || ''!''';
COMMENT ON FUNCTION tidy(text) IS 'shouts';
CREATE INDEX readings_label_idx ON readings (tidy(label));
CREATE INDEX readings_id_idx ON readings (tidy(id));
