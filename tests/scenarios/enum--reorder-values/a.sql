CREATE TYPE alert_severity AS ENUM ('low', 'high', 'medium', 'critical');

CREATE TABLE alert_rules (
    id        uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name      varchar(255) NOT NULL,
    severity  alert_severity NOT NULL DEFAULT 'medium'
);

CREATE INDEX idx_alert_rules_severity ON alert_rules (severity);
