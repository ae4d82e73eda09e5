CREATE TABLE cameras (
    id           varchar(64) PRIMARY KEY,
    name         varchar(255) NOT NULL,
    upload_path  varchar(500) NOT NULL, -- @renamed-from: folder_path
    created_at   timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX idx_cameras_upload_dir ON cameras (upload_path);

COMMENT ON COLUMN cameras.upload_path IS 'FTP upload directory watched by the file watcher';
