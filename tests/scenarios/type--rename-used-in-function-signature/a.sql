-- @renamed-from: status
CREATE TYPE st AS ENUM ('a', 'b');
CREATE TABLE t (id int PRIMARY KEY, s st);
CREATE FUNCTION flip(x st) RETURNS st
    LANGUAGE sql IMMUTABLE AS $$ SELECT CASE WHEN x = 'a' THEN 'b'::st ELSE 'a'::st END $$;
