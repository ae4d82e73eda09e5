CREATE SCHEMA analytics;

COMMENT ON SCHEMA analytics IS 'Rollups written by the summary job';

CREATE TABLE cameras (
    id    varchar(64) PRIMARY KEY,
    name  varchar(255) NOT NULL
);

CREATE TABLE analytics.daily_camera_stats (
    id            serial PRIMARY KEY,
    camera_id     varchar(64) NOT NULL REFERENCES public.cameras (id) ON DELETE CASCADE,
    day           date NOT NULL,
    event_count   integer NOT NULL DEFAULT 0,
    max_risk      smallint,
    CONSTRAINT uq_daily_camera_stats_camera_day UNIQUE (camera_id, day)
);

CREATE INDEX idx_daily_camera_stats_day ON analytics.daily_camera_stats (day DESC);
