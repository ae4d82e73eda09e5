-- @renamed-from: status
CREATE TYPE old_status AS ENUM ('a');
CREATE TABLE t (s old_status);
