-- The type and the default change together (GitLab's integrations.category):
-- the type change drops the old default, the default's own step sets the
-- new one once.
CREATE TABLE integrations (
    id       int PRIMARY KEY,
    category text DEFAULT 'common'::text NOT NULL
);
