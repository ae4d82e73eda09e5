-- Trigger functions and triggers: the shared updated_at maintainer and the
-- full-text search vector for events (alembic autogenerate cannot see these).

CREATE OR REPLACE FUNCTION set_updated_at() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at := now();
    RETURN NEW;
END
$$;

COMMENT ON FUNCTION set_updated_at() IS 'Shared BEFORE UPDATE trigger: bumps updated_at';

CREATE OR REPLACE FUNCTION events_search_vector_update() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.search_vector :=
        setweight(to_tsvector('english', coalesce(NEW.summary, '')), 'A') ||
        setweight(to_tsvector('english', coalesce(NEW.reasoning, '')), 'B') ||
        setweight(to_tsvector('english', coalesce(NEW.object_types, '')), 'C');
    RETURN NEW;
END
$$;

CREATE TRIGGER trg_events_search_vector
    BEFORE INSERT OR UPDATE OF summary, reasoning, object_types ON events
    FOR EACH ROW EXECUTE FUNCTION events_search_vector_update();

CREATE TRIGGER trg_households_updated_at
    BEFORE UPDATE ON households
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();

CREATE TRIGGER trg_household_members_updated_at
    BEFORE UPDATE ON household_members
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();

CREATE TRIGGER trg_cameras_updated_at
    BEFORE UPDATE ON cameras
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();

CREATE TRIGGER trg_camera_zones_updated_at
    BEFORE UPDATE ON camera_zones
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();

CREATE TRIGGER trg_events_updated_at
    BEFORE UPDATE ON events
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();

CREATE TRIGGER trg_alerts_updated_at
    BEFORE UPDATE ON alerts
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();

CREATE TRIGGER trg_alert_rules_updated_at
    BEFORE UPDATE ON alert_rules
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();

CREATE TRIGGER trg_camera_notification_settings_updated_at
    BEFORE UPDATE ON camera_notification_settings
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();

CREATE TRIGGER trg_user_calibration_updated_at
    BEFORE UPDATE ON user_calibration
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();

CREATE TRIGGER trg_prompt_configs_updated_at
    BEFORE UPDATE ON prompt_configs
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();
