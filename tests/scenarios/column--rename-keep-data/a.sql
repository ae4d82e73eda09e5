CREATE TABLE cameras (
    id           varchar(64) PRIMARY KEY,
    name         varchar(255) NOT NULL,
    folder_path  varchar(500) NOT NULL, -- @renamed-from: upload_path
    created_at   timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX idx_cameras_upload_dir ON cameras (folder_path);

COMMENT ON COLUMN cameras.folder_path IS 'FTP upload directory watched by the file watcher';
