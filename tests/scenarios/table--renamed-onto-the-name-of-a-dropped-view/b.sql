-- The readers are updated: the table takes the old name back, the
-- compatibility view is gone.
CREATE TABLE events ( -- @renamed-from: events_v2
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind        text NOT NULL,
    payload     jsonb NOT NULL DEFAULT '{}'
);
CREATE VIEW recent_kinds AS SELECT DISTINCT kind FROM events;
