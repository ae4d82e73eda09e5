CREATE TABLE jobs (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    job_type    varchar(50) NOT NULL,
    queue_name  varchar(100) NOT NULL,
    priority    smallint NOT NULL DEFAULT 2,
    metadata    jsonb,
    created_at  timestamptz NOT NULL
);
