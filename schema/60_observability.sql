-- Application logs, audit logs and GPU metrics history. All three are
-- append-only and queried by time range, hence the BRIN indexes.

CREATE TABLE logs (
    id             bigserial PRIMARY KEY,
    "timestamp"    timestamptz NOT NULL DEFAULT now(),
    level          varchar(10) NOT NULL
                   CHECK (level IN ('DEBUG', 'INFO', 'WARNING', 'ERROR', 'CRITICAL')),
    component      varchar(50) NOT NULL,
    message        text NOT NULL,
    camera_id      varchar(64),
    event_id       bigint,
    request_id     varchar(36),
    detection_id   bigint,
    duration_ms    integer,
    extra          jsonb,
    source         varchar(10) NOT NULL DEFAULT 'backend' CHECK (source IN ('backend', 'frontend')),
    user_agent     text,
    search_vector  tsvector GENERATED ALWAYS AS (
                       to_tsvector('english'::regconfig,
                                   coalesce(message, '') || ' ' || coalesce(component, ''))
                   ) STORED
);

CREATE INDEX idx_logs_timestamp_brin ON logs USING brin ("timestamp") WITH (pages_per_range = 32);
CREATE INDEX idx_logs_level_timestamp ON logs (level, "timestamp" DESC);
CREATE INDEX idx_logs_component ON logs (component);
CREATE INDEX idx_logs_camera_id ON logs (camera_id) WHERE camera_id IS NOT NULL;
CREATE INDEX idx_logs_search_vector ON logs USING gin (search_vector);
CREATE INDEX idx_logs_message_trgm ON logs USING gin (message gin_trgm_ops);

CREATE TABLE audit_logs (
    id             bigserial PRIMARY KEY,
    "timestamp"    timestamptz NOT NULL DEFAULT now(),
    action         varchar(50) NOT NULL,
    resource_type  varchar(50) NOT NULL,
    resource_id    varchar(255),
    actor          varchar(100) NOT NULL,
    ip_address     inet,
    user_agent     text,
    details        jsonb,
    status         varchar(20) NOT NULL DEFAULT 'success' CHECK (status IN ('success', 'failure'))
);

CREATE INDEX idx_audit_logs_timestamp_brin ON audit_logs USING brin ("timestamp");
CREATE INDEX idx_audit_logs_resource ON audit_logs (resource_type, resource_id);
CREATE INDEX idx_audit_logs_actor ON audit_logs (actor, "timestamp" DESC);
CREATE INDEX idx_audit_logs_details ON audit_logs USING gin (details jsonb_path_ops);

CREATE TABLE gpu_stats (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    recorded_at      timestamptz NOT NULL DEFAULT now(),
    gpu_name         varchar(255),
    gpu_utilization  real CHECK (gpu_utilization >= 0 AND gpu_utilization <= 100),
    memory_used      integer,
    memory_total     integer,
    temperature      real,
    power_usage      real,
    inference_fps    real,
    CONSTRAINT ck_gpu_stats_memory CHECK (memory_used IS NULL OR memory_total IS NULL OR memory_used <= memory_total)
);

CREATE INDEX idx_gpu_stats_recorded_at_brin ON gpu_stats USING brin (recorded_at);

COMMENT ON TABLE logs IS 'Structured application log storage (backend and frontend)';
COMMENT ON COLUMN logs.search_vector IS 'Generated full-text vector over message and component';
COMMENT ON COLUMN logs.camera_id IS 'Deliberately not a foreign key: logs outlive deleted cameras';
COMMENT ON TABLE audit_logs IS 'Security-sensitive action tracking';
COMMENT ON TABLE gpu_stats IS 'GPU metrics history sampled by the system monitor';
