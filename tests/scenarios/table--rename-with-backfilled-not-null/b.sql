-- The backfill's row estimate (and the NOT NULL check) at plan time read
-- the table under its live name, before the rename runs.
-- @renamed-from: zones
CREATE TABLE camera_zones (
    id    integer PRIMARY KEY,
    name  text,
    label text NOT NULL -- @backfill: coalesce(name, 'zone ' || id)
);
