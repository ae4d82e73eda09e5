-- A table migrated under a new name, the old name kept as a view for
-- readers that were not updated yet.
CREATE TABLE events_v2 ( -- @renamed-from: events
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind        text NOT NULL,
    payload     jsonb NOT NULL DEFAULT '{}'
);
CREATE VIEW events AS SELECT id, kind FROM events_v2;
CREATE VIEW recent_kinds AS SELECT DISTINCT kind FROM events;
