-- Alerting: rules, triggered alerts and the notification preference tables.

CREATE TABLE alert_rules (
    id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name               varchar(255) NOT NULL,
    description        text,
    enabled            boolean NOT NULL DEFAULT true,
    severity           alert_severity NOT NULL DEFAULT 'medium',
    risk_threshold     integer CHECK (risk_threshold >= 0 AND risk_threshold <= 100),
    object_types       jsonb,
    camera_ids         jsonb,
    zone_ids           jsonb,
    min_confidence     double precision CHECK (min_confidence >= 0 AND min_confidence <= 1),
    schedule           jsonb,
    conditions         jsonb,
    dedup_key_template varchar(255) NOT NULL DEFAULT '{camera_id}:{rule_id}',
    cooldown_seconds   integer NOT NULL DEFAULT 300 CHECK (cooldown_seconds >= 0),
    channels           jsonb NOT NULL DEFAULT '[]'::jsonb,
    created_at         timestamptz NOT NULL DEFAULT now(),
    updated_at         timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX idx_alert_rules_enabled ON alert_rules (severity) WHERE enabled;
CREATE INDEX idx_alert_rules_conditions ON alert_rules USING gin (conditions);

CREATE TABLE alerts (
    id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    event_id        bigint NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    rule_id         uuid REFERENCES alert_rules (id) ON DELETE SET NULL,
    severity        alert_severity NOT NULL DEFAULT 'medium',
    status          alert_status NOT NULL DEFAULT 'pending',
    dedup_key       varchar(255) NOT NULL,
    channels        jsonb NOT NULL DEFAULT '[]'::jsonb,
    alert_metadata  jsonb,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    delivered_at    timestamptz,
    acknowledged_at timestamptz
);

CREATE INDEX idx_alerts_event_id ON alerts (event_id);
CREATE INDEX idx_alerts_dedup_key_created ON alerts (dedup_key, created_at DESC);
CREATE INDEX idx_alerts_pending ON alerts (created_at) WHERE status = 'pending';
CREATE INDEX idx_alerts_created_at_brin ON alerts USING brin (created_at);

CREATE TABLE notification_preferences (
    id            integer PRIMARY KEY DEFAULT 1,
    enabled       boolean NOT NULL DEFAULT true,
    sound         varchar(50) NOT NULL DEFAULT 'default',
    risk_filters  varchar(20)[] NOT NULL DEFAULT ARRAY['high', 'critical']::varchar(20)[],
    updated_at    timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT ck_notification_preferences_singleton CHECK (id = 1),
    CONSTRAINT ck_notification_preferences_sound
        CHECK (sound IN ('none', 'default', 'alert', 'chime', 'urgent'))
);

CREATE TABLE camera_notification_settings (
    id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    camera_id       varchar(64) NOT NULL UNIQUE REFERENCES cameras (id) ON DELETE CASCADE,
    enabled         boolean NOT NULL DEFAULT true,
    risk_threshold  integer NOT NULL DEFAULT 0 CHECK (risk_threshold >= 0 AND risk_threshold <= 100),
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE quiet_hours_periods (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    label       varchar(255) NOT NULL,
    start_time  time NOT NULL,
    end_time    time NOT NULL,
    days        varchar(10)[] NOT NULL
                DEFAULT ARRAY['monday','tuesday','wednesday','thursday','friday','saturday','sunday']::varchar(10)[],
    created_at  timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT ck_quiet_hours_distinct_times CHECK (start_time <> end_time)
);

COMMENT ON TABLE alerts IS 'Alerts triggered by rules, with delivery status';
COMMENT ON COLUMN alerts.dedup_key IS 'Rendered from alert_rules.dedup_key_template; used for cooldown';
COMMENT ON TABLE alert_rules IS 'User-defined alert conditions evaluated against each new event';
COMMENT ON TABLE notification_preferences IS 'Global notification settings (single row, id = 1)';
COMMENT ON TABLE quiet_hours_periods IS 'Time windows during which notifications are suppressed; may wrap midnight';
