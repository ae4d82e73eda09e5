CREATE TABLE cameras (
    id            varchar(64) PRIMARY KEY,
    name          varchar(255) NOT NULL,
    folder_path   varchar(500) NOT NULL,
    last_seen_at  timestamptz
);

CREATE INDEX idx_cameras_last_seen ON cameras (last_seen_at DESC NULLS LAST);

CREATE FUNCTION camera_is_stale(seen timestamptz) RETURNS boolean
LANGUAGE sql STABLE AS $$
    SELECT seen IS NULL OR seen < now() - interval '10 minutes'
$$;

COMMENT ON TABLE cameras IS 'Camera definitions';
COMMENT ON COLUMN cameras.name IS 'Display name';
COMMENT ON INDEX idx_cameras_last_seen IS 'Used by the camera health page';
COMMENT ON FUNCTION camera_is_stale(timestamptz) IS 'True when a camera has been silent too long';
