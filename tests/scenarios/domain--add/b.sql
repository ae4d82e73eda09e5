CREATE DOMAIN percentage AS smallint
    CONSTRAINT percentage_range CHECK (VALUE >= 0 AND VALUE <= 100);

COMMENT ON DOMAIN percentage IS 'Integer percentage 0..100';

CREATE TABLE jobs (
    id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    job_type          varchar(50) NOT NULL,
    progress_percent  percentage NOT NULL DEFAULT 0
);

CREATE TABLE export_jobs (
    id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    progress_percent  percentage NOT NULL DEFAULT 0
);
