CREATE TABLE cameras (
    id          varchar(64) PRIMARY KEY,
    name        varchar(255) NOT NULL,
    updated_at  timestamptz NOT NULL DEFAULT now()
);

-- @renamed-from: touch_updated_at
CREATE FUNCTION set_updated_at() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at := now();
    RETURN NEW;
END
$$;

COMMENT ON FUNCTION set_updated_at() IS 'Shared BEFORE UPDATE trigger: bumps updated_at';

CREATE TRIGGER trg_cameras_updated_at
    BEFORE UPDATE ON cameras
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();
