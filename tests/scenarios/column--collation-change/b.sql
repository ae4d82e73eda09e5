-- Byte-wise ordering for names and paths.
CREATE TABLE cameras (
    id           varchar(64) PRIMARY KEY,
    name         varchar(255) COLLATE "C" NOT NULL,
    folder_path  varchar(500) COLLATE "C" NOT NULL
);

CREATE INDEX idx_cameras_name ON cameras (name);
CREATE UNIQUE INDEX idx_cameras_folder_path ON cameras (folder_path);
