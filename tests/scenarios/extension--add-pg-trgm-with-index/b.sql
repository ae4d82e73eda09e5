CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE TABLE cameras (
    id    varchar(64) PRIMARY KEY,
    name  varchar(255) NOT NULL
);

CREATE TABLE logs (
    id         bigserial PRIMARY KEY,
    level      varchar(10) NOT NULL,
    component  varchar(50) NOT NULL,
    message    text NOT NULL
);

CREATE INDEX idx_cameras_name_trgm ON cameras USING gin (name gin_trgm_ops);
CREATE INDEX idx_logs_message_trgm ON logs USING gist (message gist_trgm_ops);
