CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE TABLE cameras (
    id    varchar(64) PRIMARY KEY,
    name  varchar(255) NOT NULL
);

CREATE TABLE events (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    batch_id       varchar(64) NOT NULL,
    camera_id      varchar(64) NOT NULL REFERENCES cameras (id) ON DELETE CASCADE,
    started_at     timestamptz NOT NULL,
    summary        text,
    reasoning      text,
    object_types   text,
    created_at     timestamptz NOT NULL DEFAULT now(),
    search_vector  tsvector
);

CREATE UNIQUE INDEX idx_events_batch_id ON events (batch_id);
CREATE INDEX idx_events_summary_trgm ON events USING gin (summary gin_trgm_ops);
CREATE INDEX idx_events_search_vector ON events USING gin (search_vector);

CREATE FUNCTION events_search_vector_update() RETURNS trigger
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

COMMENT ON COLUMN events.search_vector IS 'Maintained by trigger trg_events_search_vector; weighted summary/reasoning/object_types';
