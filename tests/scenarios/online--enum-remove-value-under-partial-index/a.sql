CREATE TYPE job_state AS ENUM ('pending', 'active', 'retired');

CREATE TABLE jobs (
    id     integer PRIMARY KEY,
    state  job_state NOT NULL DEFAULT 'pending'
);
CREATE INDEX jobs_active ON jobs (id) WHERE state = 'active';
