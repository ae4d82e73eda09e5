CREATE TABLE camera_zones ( -- @renamed-from: zones
    id     integer PRIMARY KEY,
    label  varchar(255) NOT NULL -- @renamed-from: name
);

-- The view's column takes the table column's name: renaming the column
-- renames the view's column too, which only a new view can do.
CREATE VIEW zone_names AS SELECT id, label FROM camera_zones;

COMMENT ON VIEW zone_names IS 'Zone names for the dashboard';
