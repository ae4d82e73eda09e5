CREATE TABLE cameras (
    id            varchar(64) PRIMARY KEY,
    name          varchar(255) NOT NULL,
    status        varchar(20) NOT NULL DEFAULT 'online',
    last_seen_at  timestamptz,
    deleted_at    timestamptz
);

CREATE UNIQUE INDEX idx_cameras_name_unique ON cameras (name) WHERE deleted_at IS NULL;
