CREATE TABLE cameras (
    id    int PRIMARY KEY,
    name  text NOT NULL,
    zone  text
);

CREATE UNIQUE INDEX ix_cameras_name ON cameras (name);
CREATE INDEX ix_cameras_zone ON cameras (zone) WHERE zone IS NOT NULL;
