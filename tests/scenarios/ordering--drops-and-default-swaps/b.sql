-- Dropped: a table with the trigger function, default function and
-- generated-column function it alone uses; and what the defaults of a kept
-- table stop using. The drops wait for what lets go of them.
CREATE SEQUENCE new_numbers;
CREATE FUNCTION new_code() RETURNS int LANGUAGE sql AS 'SELECT 3';
CREATE TABLE kept (
    id int PRIMARY KEY,
    code int DEFAULT new_code(),
    n bigint DEFAULT nextval('new_numbers'),
    f text DEFAULT 'x',
    r regclass DEFAULT 'kept'::regclass
);
