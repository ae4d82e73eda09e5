CREATE TABLE cameras (
    id           varchar(64) PRIMARY KEY,
    name         varchar(255) NOT NULL,
    folder_path  varchar(500) NOT NULL,
    status       varchar(20) NOT NULL DEFAULT 'online'
);

CREATE TABLE camera_status_history (
    id           bigserial PRIMARY KEY,
    camera_id    varchar(64) NOT NULL REFERENCES cameras (id) ON DELETE CASCADE,
    old_status   varchar(20),
    new_status   varchar(20) NOT NULL,
    changed_at   timestamptz NOT NULL DEFAULT now()
);

CREATE FUNCTION log_camera_status_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO camera_status_history (camera_id, old_status, new_status)
    VALUES (NEW.id, OLD.status, NEW.status);
    RETURN NULL;
END
$$;

CREATE TRIGGER trg_cameras_status_history
    AFTER UPDATE ON cameras
    FOR EACH ROW
    WHEN (OLD.status IS DISTINCT FROM NEW.status)
    EXECUTE FUNCTION log_camera_status_change();
