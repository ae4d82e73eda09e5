CREATE TABLE jobs (
    id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    job_type          varchar(50) NOT NULL,
    priority          smallint NOT NULL DEFAULT 2 CHECK (priority >= 0 AND priority <= 4),
    attempt_number    integer NOT NULL DEFAULT 1,
    max_attempts      integer NOT NULL DEFAULT 3,
    CONSTRAINT ck_jobs_attempts CHECK (attempt_number <= max_attempts)
);
