CREATE TYPE status AS ENUM ('new');
CREATE TABLE jobs (
    id      uuid DEFAULT gen_random_uuid() PRIMARY KEY,
    state   status
);
-- @renamed-from: open_jobs
CREATE VIEW pending_jobs AS SELECT id FROM jobs WHERE state <> 'new';
