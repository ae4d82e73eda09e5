-- ModeMap venues app: desired schema equivalent to alembic revision
-- f99aa361bd09 (venues, venue_profiles, user_events), plus the indexes the
-- app's queries need.

CREATE TABLE venues (
    id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    provider_id    varchar(255) NOT NULL,
    provider_name  varchar(50) NOT NULL,
    name           varchar(500) NOT NULL,
    lat            double precision NOT NULL CHECK (lat >= -90 AND lat <= 90),
    lng            double precision NOT NULL CHECK (lng >= -180 AND lng <= 180),
    address        text,
    categories     text[] NOT NULL DEFAULT '{}',
    rating         real CHECK (rating IS NULL OR (rating >= 0 AND rating <= 5)),
    price_level    smallint CHECK (price_level IS NULL OR price_level BETWEEN 0 AND 4),
    hours          jsonb,
    raw_hours      text,
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    last_seen_at   timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT uq_venues_provider UNIQUE (provider_name, provider_id)
);

CREATE INDEX ix_venues_lat_lng ON venues (lat, lng);
CREATE INDEX ix_venues_categories ON venues USING gin (categories);
CREATE INDEX ix_venues_last_seen_at ON venues (last_seen_at);

CREATE TABLE venue_profiles (
    id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    venue_id           uuid NOT NULL REFERENCES venues (id) ON DELETE CASCADE,
    attribute_scores   json NOT NULL DEFAULT '{}',
    evidence_snippets  json NOT NULL DEFAULT '[]',
    embedding_ref      varchar(255),
    profiled_at        timestamptz NOT NULL DEFAULT now(),
    expires_at         timestamptz,
    CONSTRAINT uq_venue_profiles_venue_id UNIQUE (venue_id),
    CONSTRAINT ck_venue_profiles_expiry CHECK (expires_at IS NULL OR expires_at > profiled_at)
);

CREATE INDEX ix_venue_profiles_expires_at ON venue_profiles (expires_at);

CREATE TABLE user_events (
    id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id        varchar(255),
    event_type     varchar(50) NOT NULL
                   CHECK (event_type IN ('search', 'view', 'click', 'save', 'dismiss', 'navigate')),
    venue_id       uuid REFERENCES venues (id) ON DELETE SET NULL,
    mode           varchar(50),
    query_context  json,
    created_at     timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX ix_user_events_user_id_created_at ON user_events (user_id, created_at DESC) WHERE user_id IS NOT NULL;
CREATE INDEX ix_user_events_venue_id ON user_events (venue_id);
CREATE INDEX ix_user_events_created_at ON user_events USING brin (created_at);

COMMENT ON TABLE venues IS 'Core venue entity from the places provider';
COMMENT ON COLUMN venues.raw_hours IS 'Opening hours exactly as returned by the provider';
COMMENT ON TABLE venue_profiles IS 'Enriched venue attributes (mode scores with evidence)';
COMMENT ON COLUMN venue_profiles.embedding_ref IS 'Key into the future vector store (pgvector)';
COMMENT ON TABLE user_events IS 'User interaction telemetry; user_id is NULL for anonymous users';
