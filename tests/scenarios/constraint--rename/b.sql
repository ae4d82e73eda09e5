-- Constraint names brought in line with the project's naming convention.
CREATE TABLE cameras (
    id           varchar(64) PRIMARY KEY,
    name         varchar(255) NOT NULL,
    folder_path  varchar(500) NOT NULL,
    CONSTRAINT ck_cameras_id_format CHECK (id ~ '^[a-z0-9_]+$'), -- @renamed-from: ck_cameras_id
    CONSTRAINT uq_cameras_folder_path UNIQUE (folder_path) -- @renamed-from: cameras_folder_path_key
);

CREATE TABLE camera_zones (
    id         serial PRIMARY KEY,
    camera_id  varchar(64) NOT NULL,
    name       varchar(255) NOT NULL,
    -- @renamed-from: camera_zones_camera_id_fkey
    CONSTRAINT fk_camera_zones_camera FOREIGN KEY (camera_id) REFERENCES cameras (id) ON DELETE CASCADE
);
