-- A value added to the enum while a view over it is renamed and, its
-- column converted to varchar, rebuilt: the value may go first, the view
-- need not be dropped before it.
CREATE TYPE status AS ENUM ('new', 'done');
CREATE TABLE jobs (
    id      uuid DEFAULT gen_random_uuid() PRIMARY KEY,
    state   varchar(255)
);
-- @renamed-from: pending_jobs
CREATE VIEW open_jobs AS SELECT id FROM jobs WHERE state <> '';
