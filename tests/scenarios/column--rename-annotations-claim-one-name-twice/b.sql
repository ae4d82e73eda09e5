-- Two annotations claim the same old name: the first renames it, the
-- second's object is created (with a warning).
-- @renamed-from: mood
CREATE TYPE state AS ENUM ('calm', 'busy');
-- @renamed-from: mood
CREATE TYPE phase AS ENUM ('calm', 'busy');

CREATE TABLE sensors (
    id      integer PRIMARY KEY,
    celsius integer, -- @renamed-from: reading
    raw     integer -- @renamed-from: reading
);
