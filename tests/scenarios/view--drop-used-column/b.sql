-- folder_path moved into the file watcher's own config.
CREATE TABLE cameras (
    id           varchar(64) PRIMARY KEY,
    name         varchar(255) NOT NULL,
    status       varchar(20) NOT NULL DEFAULT 'online',
    deleted_at   timestamptz
);

CREATE VIEW camera_overview AS
SELECT id,
       name,
       status
FROM cameras
WHERE deleted_at IS NULL;
