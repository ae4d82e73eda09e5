CREATE TABLE cameras (
    id    bigint PRIMARY KEY,
    name  text NOT NULL
);

CREATE TABLE frames (
    id         bigint PRIMARY KEY,
    camera_id  bigint NOT NULL REFERENCES cameras (id)
);
