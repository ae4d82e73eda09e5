CREATE SEQUENCE export_file_seq
    START WITH 1000
    INCREMENT BY 1;

CREATE TABLE export_jobs (
    id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    file_number  bigint NOT NULL DEFAULT nextval('export_file_seq'),
    created_at   timestamptz NOT NULL DEFAULT now()
);
