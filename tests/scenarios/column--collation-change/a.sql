CREATE TABLE cameras (
    id           varchar(64) PRIMARY KEY,
    name         varchar(255) NOT NULL,
    folder_path  varchar(500) NOT NULL
);

CREATE INDEX idx_cameras_name ON cameras (name);
CREATE UNIQUE INDEX idx_cameras_folder_path ON cameras (folder_path);
