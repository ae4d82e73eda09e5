-- @renamed-from: alerts_archive
CREATE TABLE alerts (
    id      serial PRIMARY KEY,
    camera  text NOT NULL,
    UNIQUE (camera, id)
);
-- @renamed-from: alerts
CREATE TABLE alerts_staging (
    id      serial PRIMARY KEY,
    camera  text NOT NULL,
    UNIQUE (camera, id)
);
