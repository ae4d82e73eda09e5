CREATE EXTENSION IF NOT EXISTS btree_gist;

-- A camera cannot have two overlapping maintenance windows.
CREATE TABLE camera_maintenance_windows (
    id         serial PRIMARY KEY,
    camera_id  varchar(64) NOT NULL,
    during     tstzrange NOT NULL,
    reason     text,
    CONSTRAINT ex_camera_maintenance_no_overlap
        EXCLUDE USING gist (camera_id WITH =, during WITH &&)
);
