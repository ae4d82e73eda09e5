CREATE TABLE cameras (
    id            varchar(64) PRIMARY KEY,
    name          varchar(255) NOT NULL,
    folder_path   varchar(500) NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    last_seen_at  timestamptz,
    deleted_at    timestamptz
);
