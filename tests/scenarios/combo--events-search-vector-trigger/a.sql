CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE TABLE cameras (
    id    varchar(64) PRIMARY KEY,
    name  varchar(255) NOT NULL
);

CREATE TABLE events (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    batch_id      varchar(64) NOT NULL,
    camera_id     varchar(64) NOT NULL REFERENCES cameras (id) ON DELETE CASCADE,
    started_at    timestamptz NOT NULL,
    summary       text,
    reasoning     text,
    object_types  text,
    created_at    timestamptz NOT NULL DEFAULT now()
);

CREATE UNIQUE INDEX idx_events_batch_id ON events (batch_id);
CREATE INDEX idx_events_summary_trgm ON events USING gin (summary gin_trgm_ops);
