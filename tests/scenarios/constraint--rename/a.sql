CREATE TABLE cameras (
    id           varchar(64) PRIMARY KEY,
    name         varchar(255) NOT NULL,
    folder_path  varchar(500) NOT NULL,
    CONSTRAINT ck_cameras_id CHECK (id ~ '^[a-z0-9_]+$'), -- @renamed-from: ck_cameras_id_format
    CONSTRAINT cameras_folder_path_key UNIQUE (folder_path) -- @renamed-from: uq_cameras_folder_path
);

CREATE TABLE camera_zones (
    id         serial PRIMARY KEY,
    camera_id  varchar(64) NOT NULL,
    name       varchar(255) NOT NULL,
    -- @renamed-from: fk_camera_zones_camera
    CONSTRAINT camera_zones_camera_id_fkey FOREIGN KEY (camera_id) REFERENCES cameras (id) ON DELETE CASCADE
);
