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

-- changed
COMMENT ON TABLE cameras IS 'Camera definitions; id is the normalized upload folder name';
-- added (and cameras.name's comment removed)
COMMENT ON COLUMN cameras.folder_path IS 'FTP upload directory watched by the file watcher';
COMMENT ON COLUMN cameras.last_seen_at IS 'Timestamp of the most recent image/video received';
-- index comment removed; function comment changed
COMMENT ON FUNCTION camera_is_stale(timestamptz) IS 'True when a camera sent nothing for 10 minutes (or never)';
