CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.at := now(); RETURN NEW; END $$;
CREATE FUNCTION first_code() RETURNS int LANGUAGE sql AS 'SELECT 1';
CREATE FUNCTION doubled(v int) RETURNS int LANGUAGE sql IMMUTABLE AS 'SELECT v * 2';
CREATE TABLE gone (id int PRIMARY KEY, code int DEFAULT first_code(), v int, w int GENERATED ALWAYS AS (doubled(v)) STORED, at timestamptz);
CREATE TRIGGER gone_touch BEFORE UPDATE ON gone FOR EACH ROW EXECUTE FUNCTION touch();
CREATE SEQUENCE old_numbers;
CREATE TYPE flavour AS ENUM ('x', 'y');
CREATE FUNCTION old_code() RETURNS int LANGUAGE sql AS 'SELECT 2';
CREATE TABLE other (id int PRIMARY KEY);
CREATE TABLE kept (
    id int PRIMARY KEY,
    code int DEFAULT old_code(),
    n bigint DEFAULT nextval('old_numbers'),
    f text DEFAULT 'x'::flavour::text,
    r regclass DEFAULT 'other'::regclass
);
