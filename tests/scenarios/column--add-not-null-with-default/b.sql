CREATE TABLE alert_rules (
    id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name                varchar(255) NOT NULL,
    enabled             boolean NOT NULL DEFAULT true,
    risk_threshold      integer CHECK (risk_threshold >= 0 AND risk_threshold <= 100),
    dedup_key_template  varchar(255) NOT NULL DEFAULT '{camera_id}:{rule_id}',
    cooldown_seconds    integer NOT NULL DEFAULT 300 CHECK (cooldown_seconds >= 0),
    channels            jsonb NOT NULL DEFAULT '[]'::jsonb,
    created_at          timestamptz NOT NULL DEFAULT now()
);
