CREATE TABLE events (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    summary       text NOT NULL,
    reasoning     text,
    search_vector tsvector GENERATED ALWAYS AS (
        to_tsvector('english', coalesce(summary, '') || ' ' || coalesce(reasoning, ''))
    ) STORED,
    score_x2      int GENERATED ALWAYS AS (length(summary) * 2) STORED
);

CREATE INDEX ix_events_search_vector ON events USING gin (search_vector);
