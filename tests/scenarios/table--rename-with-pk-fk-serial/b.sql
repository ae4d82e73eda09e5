CREATE TABLE cameras (
    id           varchar(64) PRIMARY KEY,
    name         varchar(255) NOT NULL,
    folder_path  varchar(500) NOT NULL
);

-- alembic f1231ed7e32d: zones -> camera_zones. A fresh build names the
-- generated objects camera_zones_pkey, camera_zones_camera_id_fkey,
-- camera_zones_id_seq, camera_zones_zone_type_check, camera_zones_priority_check.
CREATE TABLE camera_zones ( -- @renamed-from: zones
    id           serial PRIMARY KEY,
    camera_id    varchar(64) NOT NULL REFERENCES cameras (id) ON DELETE CASCADE,
    name         varchar(255) NOT NULL,
    zone_type    varchar(50) NOT NULL DEFAULT 'other'
                 CHECK (zone_type IN ('entry_point', 'driveway', 'sidewalk', 'yard', 'other')),
    coordinates  jsonb NOT NULL,
    enabled      boolean NOT NULL DEFAULT true,
    priority     integer NOT NULL DEFAULT 0 CHECK (priority >= 0 AND priority <= 100)
);
