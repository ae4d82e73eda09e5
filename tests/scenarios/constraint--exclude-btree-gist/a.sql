CREATE EXTENSION IF NOT EXISTS btree_gist;

CREATE TABLE camera_maintenance_windows (
    id         serial PRIMARY KEY,
    camera_id  varchar(64) NOT NULL,
    during     tstzrange NOT NULL,
    reason     text
);
