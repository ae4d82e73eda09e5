-- @renamed-from: st
CREATE TYPE status AS ENUM ('a', 'b');
CREATE TABLE t (id int PRIMARY KEY, s status);
CREATE FUNCTION flip(x status) RETURNS status
    LANGUAGE sql IMMUTABLE AS $$ SELECT CASE WHEN x = 'a' THEN 'b'::status ELSE 'a'::status END $$;
