-- CREATE OR REPLACE cannot take a default away: the functions are dropped
-- and created again, with the view that calls them.
CREATE FUNCTION add(a int, b int) RETURNS int LANGUAGE sql IMMUTABLE AS 'SELECT a + b';
CREATE FUNCTION pair(a int, b int DEFAULT 2) RETURNS int LANGUAGE sql IMMUTABLE AS 'SELECT a * b';
CREATE VIEW sums AS SELECT add(1, 2) AS three, pair(2, 3) AS six;
