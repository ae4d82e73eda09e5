CREATE TABLE cameras (
    id           varchar(64) PRIMARY KEY,
    name         varchar(255) NOT NULL,
    folder_path  varchar(500) NOT NULL
);

CREATE TABLE scene_changes (
    id                serial PRIMARY KEY,
    camera_id         varchar(64) NOT NULL REFERENCES cameras (id) ON DELETE CASCADE,
    detected_at       timestamptz NOT NULL DEFAULT now(),
    change_type       varchar(30) NOT NULL DEFAULT 'unknown'
                      CHECK (change_type IN ('view_blocked', 'angle_changed', 'view_tampered', 'unknown')),
    similarity_score  double precision NOT NULL CHECK (similarity_score >= 0 AND similarity_score <= 1),
    acknowledged      boolean NOT NULL DEFAULT false
);

CREATE INDEX idx_scene_changes_camera_detected ON scene_changes (camera_id, detected_at DESC);

COMMENT ON TABLE scene_changes IS 'Camera tampering / view change detections (SSIM based)';
