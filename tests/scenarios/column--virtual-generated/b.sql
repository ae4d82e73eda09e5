-- PostgreSQL 18 computes VIRTUAL generated columns when read: a change
-- between stored and virtual recreates the column, its values derived.
CREATE TABLE readings (
    id int PRIMARY KEY,
    celsius numeric NOT NULL,
    fahrenheit numeric GENERATED ALWAYS AS (celsius * 9 / 5 + 32) VIRTUAL,
    kelvin numeric GENERATED ALWAYS AS (celsius + 273.15)
);
