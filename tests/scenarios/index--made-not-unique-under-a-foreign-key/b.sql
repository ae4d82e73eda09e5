CREATE TABLE cameras (
    id    int NOT NULL,
    code  text
);

CREATE INDEX cameras_id_unique ON cameras (id);
CREATE UNIQUE INDEX cameras_id_lookup ON cameras (id);

CREATE TABLE events (
    id         int PRIMARY KEY,
    camera_id  int REFERENCES cameras (id)
);
