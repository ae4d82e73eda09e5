CREATE TABLE cameras (
    id           varchar(64) PRIMARY KEY,
    name         varchar(255) NOT NULL,
    folder_path  varchar(500),
    status       varchar(20) NOT NULL DEFAULT 'online',
    deleted_at   timestamptz
);

CREATE VIEW camera_overview AS
SELECT id,
       name,
       folder_path,
       status
FROM cameras
WHERE deleted_at IS NULL;
