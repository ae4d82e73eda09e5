CREATE TYPE job_state AS ENUM ('new');
CREATE TYPE severity AS ENUM ('low', 'high');

CREATE TABLE jobs (
    id       integer PRIMARY KEY,
    state    job_state NOT NULL DEFAULT 'new',
    severity severity NOT NULL
);
