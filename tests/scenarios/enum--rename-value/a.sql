CREATE TYPE camera_status AS ENUM (
    'online',
    'offline',
    'repair' -- @renamed-from: maintenance
);

CREATE TABLE cameras (
    id      varchar(64) PRIMARY KEY,
    name    varchar(255) NOT NULL,
    status  camera_status NOT NULL DEFAULT 'online'
);

CREATE INDEX idx_cameras_in_repair ON cameras (id) WHERE status = 'repair';
