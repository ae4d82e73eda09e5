CREATE TABLE events (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    summary       text NOT NULL,
    reasoning     text,
    -- Kept up to date by the application from now on.
    search_vector tsvector,
    score_x2      bigint DEFAULT 0
);

CREATE INDEX ix_events_search_vector ON events USING gin (search_vector);
