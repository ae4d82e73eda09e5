CREATE TABLE job_logs (
    id       bigserial PRIMARY KEY, -- @renamed-from: log_id
    job_id   uuid NOT NULL,
    message  text NOT NULL
);
