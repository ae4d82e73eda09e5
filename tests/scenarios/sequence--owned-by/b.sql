CREATE SEQUENCE job_log_seq;

CREATE TABLE job_logs (
    id       bigint PRIMARY KEY DEFAULT nextval('job_log_seq'),
    job_id   uuid NOT NULL,
    level    varchar(10) NOT NULL DEFAULT 'INFO',
    message  text NOT NULL
);

-- Dropping job_logs (or its id column) now drops the sequence with it.
ALTER SEQUENCE job_log_seq OWNED BY job_logs.id;
