-- Two export workers allocate numbers in blocks.
CREATE SEQUENCE export_file_seq
    START WITH 1000
    INCREMENT BY 10
    MAXVALUE 99999999
    CACHE 20
    CYCLE;

CREATE TABLE export_jobs (
    id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    file_number  bigint NOT NULL DEFAULT nextval('export_file_seq'),
    created_at   timestamptz NOT NULL DEFAULT now()
);
