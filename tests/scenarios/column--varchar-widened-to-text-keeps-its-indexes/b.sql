CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE TABLE cameras (
    id          int PRIMARY KEY,
    name        text NOT NULL UNIQUE,
    status      int NOT NULL DEFAULT 0,
    deleted_at  timestamptz
);

CREATE INDEX cameras_name_plain ON cameras (name);
CREATE INDEX cameras_name_trgm ON cameras USING gin (name gin_trgm_ops);
CREATE UNIQUE INDEX cameras_name_live ON cameras (name) INCLUDE (status) WHERE deleted_at IS NULL;
CREATE INDEX cameras_name_lower ON cameras (lower(name));
