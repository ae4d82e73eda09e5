-- A fresh build names the owned sequence job_logs_log_id_seq.
CREATE TABLE job_logs (
    log_id   bigserial PRIMARY KEY, -- @renamed-from: id
    job_id   uuid NOT NULL,
    message  text NOT NULL
);
