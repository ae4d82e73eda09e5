-- New values placed after another new value ('active' after 'done'), and
-- several new values before the same existing one ('medium', 'elevated'
-- before 'high'): added in one step, in the desired order.
CREATE TYPE job_state AS ENUM ('new', 'done', 'active');
CREATE TYPE severity AS ENUM ('low', 'medium', 'elevated', 'high');

CREATE TABLE jobs (
    id       integer PRIMARY KEY,
    state    job_state NOT NULL DEFAULT 'new',
    severity severity NOT NULL
);
