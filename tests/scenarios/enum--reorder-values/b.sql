-- 'medium' was appended after 'high' by an old migration; fix the order so
-- severity >= 'medium' means what it says.
CREATE TYPE alert_severity AS ENUM ('low', 'medium', 'high', 'critical');

CREATE TABLE alert_rules (
    id        uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name      varchar(255) NOT NULL,
    severity  alert_severity NOT NULL DEFAULT 'medium'
);

CREATE INDEX idx_alert_rules_severity ON alert_rules (severity);
