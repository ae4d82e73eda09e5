CREATE TABLE alert_rules (
    id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name                varchar(255) NOT NULL,
    enabled             boolean NOT NULL DEFAULT true,
    risk_threshold      integer CHECK (risk_threshold >= 0 AND risk_threshold <= 100)
);
