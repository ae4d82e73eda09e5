CREATE TABLE integrations (
    id       int PRIMARY KEY,
    category varchar DEFAULT 'common'::varchar NOT NULL
);
