CREATE TABLE notes (id int PRIMARY KEY, body text);
-- @renamed-from: f
CREATE FUNCTION g(x int) RETURNS int LANGUAGE sql AS 'SELECT x + 1';
CREATE FUNCTION f(x text) RETURNS text LANGUAGE sql AS 'SELECT x || ''!''';
COMMENT ON FUNCTION f(text) IS 'shouts';
CREATE VIEW loud_notes AS SELECT id, f(body) AS loud FROM notes;
