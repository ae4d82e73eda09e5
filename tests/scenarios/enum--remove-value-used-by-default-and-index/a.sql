CREATE TYPE export_status AS ENUM ('queued', 'running', 'completed', 'failed', 'cancelled');

CREATE TABLE export_jobs (
    id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    status         export_status NOT NULL DEFAULT 'queued',
    export_format  varchar(10) NOT NULL DEFAULT 'csv',
    created_at     timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX idx_export_jobs_queued ON export_jobs (created_at) WHERE status = 'queued';
CREATE INDEX idx_export_jobs_status_created ON export_jobs (status, created_at DESC);
