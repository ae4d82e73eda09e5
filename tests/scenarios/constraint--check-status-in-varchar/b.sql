CREATE TABLE export_jobs (
    id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    status         varchar(20) NOT NULL DEFAULT 'pending'
                   CHECK (status IN ('pending', 'running', 'completed', 'failed', 'cancelled')),
    export_format  varchar(10) NOT NULL DEFAULT 'csv'
                   CHECK (export_format IN ('csv', 'json', 'zip', 'excel')),
    created_at     timestamptz NOT NULL DEFAULT now()
);
