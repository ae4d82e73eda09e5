-- Background job tracking: jobs, their attempts, log lines and state
-- transitions, plus the separately persisted export jobs.

CREATE TABLE jobs (
    id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    job_type          varchar(50) NOT NULL,
    status            job_status NOT NULL DEFAULT 'queued',
    queue_name        varchar(100) NOT NULL DEFAULT 'default',
    priority          smallint NOT NULL DEFAULT 2 CHECK (priority >= 0 AND priority <= 4),
    created_at        timestamptz NOT NULL DEFAULT now(),
    started_at        timestamptz,
    completed_at      timestamptz,
    progress_percent  smallint NOT NULL DEFAULT 0 CHECK (progress_percent >= 0 AND progress_percent <= 100),
    current_step      varchar(255),
    result            jsonb,
    error_message     text,
    error_traceback   text,
    attempt_number    integer NOT NULL DEFAULT 1 CHECK (attempt_number >= 1),
    max_attempts      integer NOT NULL DEFAULT 3 CHECK (max_attempts >= 1),
    next_retry_at     timestamptz,
    parent_job_id     uuid REFERENCES jobs (id) ON DELETE SET NULL,
    metadata          jsonb,
    CONSTRAINT ck_jobs_attempts CHECK (attempt_number <= max_attempts)
);

CREATE INDEX idx_jobs_queued ON jobs (queue_name, priority, created_at) WHERE status = 'queued';
CREATE INDEX idx_jobs_retry ON jobs (next_retry_at) WHERE status = 'failed' AND next_retry_at IS NOT NULL;
CREATE INDEX idx_jobs_status_created ON jobs (status, created_at DESC);
CREATE INDEX idx_jobs_parent_job_id ON jobs (parent_job_id);
CREATE INDEX idx_jobs_created_at_brin ON jobs USING brin (created_at);

CREATE TABLE job_attempts (
    id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    job_id          uuid NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    attempt_number  integer NOT NULL,
    started_at      timestamptz NOT NULL DEFAULT now(),
    ended_at        timestamptz,
    status          job_status NOT NULL DEFAULT 'running',
    worker_id       varchar(100),
    error_message   text,
    error_traceback text,
    result          jsonb,
    CONSTRAINT uq_job_attempts_job_attempt UNIQUE (job_id, attempt_number)
);

CREATE TABLE job_logs (
    id              bigserial PRIMARY KEY,
    job_id          uuid NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    attempt_number  integer NOT NULL DEFAULT 1,
    "timestamp"     timestamptz NOT NULL DEFAULT now(),
    level           varchar(10) NOT NULL DEFAULT 'INFO'
                    CHECK (level IN ('DEBUG', 'INFO', 'WARNING', 'ERROR')),
    message         text NOT NULL,
    context         jsonb
);

CREATE INDEX idx_job_logs_job_time ON job_logs (job_id, "timestamp");
CREATE INDEX idx_job_logs_timestamp_brin ON job_logs USING brin ("timestamp");

CREATE TABLE job_transitions (
    id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    job_id           uuid NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    from_status      job_status,
    to_status        job_status NOT NULL,
    transitioned_at  timestamptz NOT NULL DEFAULT now(),
    triggered_by     varchar(50) NOT NULL DEFAULT 'worker',
    metadata         jsonb
);

CREATE INDEX idx_job_transitions_job_time ON job_transitions (job_id, transitioned_at);

CREATE TABLE export_jobs (
    id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    status             job_status NOT NULL DEFAULT 'queued',
    export_type        varchar(50) NOT NULL DEFAULT 'events',
    export_format      varchar(10) NOT NULL DEFAULT 'csv'
                       CHECK (export_format IN ('csv', 'json', 'zip', 'excel')),
    total_items        integer,
    processed_items    integer NOT NULL DEFAULT 0,
    progress_percent   smallint NOT NULL DEFAULT 0 CHECK (progress_percent BETWEEN 0 AND 100),
    current_step       varchar(255),
    created_at         timestamptz NOT NULL DEFAULT now(),
    started_at         timestamptz,
    completed_at       timestamptz,
    output_path        varchar(512),
    output_size_bytes  bigint,
    error_message      text,
    filter_params      jsonb,
    CHECK (total_items IS NULL OR processed_items <= total_items)
);

CREATE INDEX idx_export_jobs_active ON export_jobs (created_at) WHERE status IN ('queued', 'running');
CREATE INDEX idx_export_jobs_status_created ON export_jobs (status, created_at DESC NULLS LAST);

COMMENT ON TABLE jobs IS 'Background job tracking (AI re-analysis, cleanup, exports)';
COMMENT ON COLUMN jobs.priority IS '0 = highest, 4 = lowest';
COMMENT ON TABLE job_transitions IS 'Audit trail of job status changes';
COMMENT ON TABLE export_jobs IS 'Persisted export jobs so progress survives restarts';
