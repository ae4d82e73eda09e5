CREATE TABLE jobs (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    job_type    varchar(50) NOT NULL,
    queue_name  varchar(100) NOT NULL DEFAULT 'default',
    priority    smallint NOT NULL,
    metadata    jsonb DEFAULT '{}'::jsonb,
    created_at  timestamptz NOT NULL DEFAULT now()
);
