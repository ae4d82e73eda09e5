CREATE TYPE mood AS ENUM ('calm', 'busy');

CREATE TABLE sensors (
    id     integer PRIMARY KEY,
    reading integer
);
