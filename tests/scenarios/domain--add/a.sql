CREATE TABLE jobs (
    id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    job_type          varchar(50) NOT NULL,
    progress_percent  smallint NOT NULL DEFAULT 0
);

CREATE TABLE export_jobs (
    id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    progress_percent  smallint NOT NULL DEFAULT 0
);
