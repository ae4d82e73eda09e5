CREATE TABLE zones ( -- @renamed-from: camera_zones
    id    integer PRIMARY KEY,
    name  varchar(255) NOT NULL -- @renamed-from: label
);

-- The view's column takes the table column's name: renaming the column
-- renames the view's column too, which only a new view can do.
CREATE VIEW zone_names AS SELECT id, name FROM zones;

COMMENT ON VIEW zone_names IS 'Zone names for the dashboard';
