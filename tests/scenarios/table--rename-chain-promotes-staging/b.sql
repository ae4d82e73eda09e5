-- The current table is archived and the staging one promoted in its
-- place: a chain of renames (alerts -> alerts_archive, then
-- alerts_staging -> alerts), each name freed before it is taken.
CREATE TABLE alerts_archive ( -- @renamed-from: alerts
    id      serial PRIMARY KEY,
    camera  text NOT NULL,
    UNIQUE (camera, id)
);
CREATE TABLE alerts ( -- @renamed-from: alerts_staging
    id      serial PRIMARY KEY,
    camera  text NOT NULL,
    UNIQUE (camera, id)
);
