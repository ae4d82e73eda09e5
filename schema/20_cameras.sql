-- Cameras, their zones, and per-camera statistics (baselines, scene changes).
-- camera_zones was called "zones" until alembic revision f1231ed7e32d.

CREATE TABLE cameras (
    id             varchar(64) PRIMARY KEY,
    name           varchar(255) NOT NULL,
    folder_path    varchar(500) NOT NULL,
    status         camera_status NOT NULL DEFAULT 'online',
    property_id    integer REFERENCES properties (id) ON DELETE SET NULL,
    area_id        integer REFERENCES areas (id) ON DELETE SET NULL,
    config         jsonb NOT NULL DEFAULT '{}'::jsonb,
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    last_seen_at   timestamptz,
    deleted_at     timestamptz,
    CONSTRAINT ck_cameras_id_format CHECK (id ~ '^[a-z0-9_]+$'),
    CONSTRAINT uq_cameras_folder_path UNIQUE (folder_path)
);

CREATE UNIQUE INDEX idx_cameras_name_unique ON cameras (name) INCLUDE (status, last_seen_at)
    WHERE deleted_at IS NULL;
CREATE INDEX idx_cameras_property_id ON cameras (property_id);
CREATE INDEX idx_cameras_name_trgm ON cameras USING gin (name gin_trgm_ops);

CREATE TABLE camera_zones (  -- @renamed-from: zones
    id           serial PRIMARY KEY,
    camera_id    varchar(64) NOT NULL REFERENCES cameras (id) ON DELETE CASCADE,
    name         varchar(255) NOT NULL,
    zone_type    varchar(50) NOT NULL DEFAULT 'other'
                 CHECK (zone_type IN ('entry_point', 'driveway', 'sidewalk', 'yard', 'other')),
    coordinates  jsonb NOT NULL,
    shape        varchar(20) NOT NULL DEFAULT 'rectangle'
                 CHECK (shape IN ('rectangle', 'polygon')),
    color        varchar(7) NOT NULL DEFAULT '#3B82F6',
    enabled      boolean NOT NULL DEFAULT true,
    priority     integer NOT NULL DEFAULT 0 CHECK (priority >= 0 AND priority <= 100),
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX idx_camera_zones_camera_id ON camera_zones (camera_id);
CREATE INDEX idx_camera_zones_enabled ON camera_zones (camera_id, priority DESC) WHERE enabled;

CREATE TABLE activity_baselines (
    id            serial PRIMARY KEY,
    camera_id     varchar(64) NOT NULL REFERENCES cameras (id) ON DELETE CASCADE,
    hour          smallint NOT NULL CHECK (hour >= 0 AND hour <= 23),
    day_of_week   smallint NOT NULL CHECK (day_of_week >= 0 AND day_of_week <= 6),
    avg_count     double precision NOT NULL DEFAULT 0,
    sample_count  integer NOT NULL DEFAULT 0 CHECK (sample_count >= 0),
    last_updated  timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT uq_activity_baseline_slot UNIQUE (camera_id, hour, day_of_week)
);

CREATE TABLE class_baselines (
    id               serial PRIMARY KEY,
    camera_id        varchar(64) NOT NULL REFERENCES cameras (id) ON DELETE CASCADE,
    detection_class  varchar(50) NOT NULL,
    hour             smallint NOT NULL CHECK (hour >= 0 AND hour <= 23),
    frequency        double precision NOT NULL DEFAULT 0,
    sample_count     integer NOT NULL DEFAULT 0,
    last_updated     timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT uq_class_baseline_slot UNIQUE (camera_id, detection_class, hour)
);

CREATE TABLE scene_changes (
    id                serial PRIMARY KEY,
    camera_id         varchar(64) NOT NULL REFERENCES cameras (id) ON DELETE CASCADE,
    detected_at       timestamptz NOT NULL DEFAULT now(),
    change_type       varchar(30) NOT NULL DEFAULT 'unknown'
                      CHECK (change_type IN ('view_blocked', 'angle_changed', 'view_tampered', 'unknown')),
    similarity_score  double precision NOT NULL
                      CHECK (similarity_score >= 0 AND similarity_score <= 1),
    acknowledged      boolean NOT NULL DEFAULT false,
    acknowledged_at   timestamptz,
    file_path         varchar(500)
);

CREATE INDEX idx_scene_changes_camera_detected ON scene_changes (camera_id, detected_at DESC);
CREATE INDEX idx_scene_changes_unacknowledged ON scene_changes (camera_id)
    WHERE acknowledged = false;

COMMENT ON TABLE cameras IS 'Camera definitions; id is the normalized upload folder name';
COMMENT ON COLUMN cameras.folder_path IS 'FTP upload directory watched by the file watcher';
COMMENT ON COLUMN cameras.last_seen_at IS 'Timestamp of the most recent image/video received';
COMMENT ON TABLE camera_zones IS 'Regions of interest drawn on a camera frame (formerly "zones")';
COMMENT ON COLUMN camera_zones.coordinates IS 'Normalized [x, y] points in 0..1 image space';
COMMENT ON TABLE activity_baselines IS 'Rolling average detections per camera, hour of day and weekday';
COMMENT ON TABLE scene_changes IS 'Camera tampering / view change detections (SSIM based)';
