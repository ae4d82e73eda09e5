CREATE TABLE cameras (
    id    integer PRIMARY KEY,
    name  text NOT NULL
);

CREATE TABLE frames (
    id         bigint PRIMARY KEY,
    camera_id  integer NOT NULL REFERENCES cameras (id)
);
