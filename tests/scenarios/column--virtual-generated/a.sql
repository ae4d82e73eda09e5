CREATE TABLE readings (
    id int PRIMARY KEY,
    celsius numeric NOT NULL,
    fahrenheit numeric GENERATED ALWAYS AS (celsius * 9 / 5 + 32) STORED
);
