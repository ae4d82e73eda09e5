-- Exports start immediately now: there is no queue any more, so 'queued'
-- goes away together with the default and the partial index that used it.
CREATE TYPE export_status AS ENUM ('running', 'completed', 'failed', 'cancelled');

CREATE TABLE export_jobs (
    id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    status         export_status NOT NULL DEFAULT 'running',
    export_format  varchar(10) NOT NULL DEFAULT 'csv',
    created_at     timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX idx_export_jobs_running ON export_jobs (created_at) WHERE status = 'running';
CREATE INDEX idx_export_jobs_status_created ON export_jobs (status, created_at DESC);
