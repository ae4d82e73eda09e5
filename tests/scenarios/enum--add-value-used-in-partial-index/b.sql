-- A new value that the same plan must already use in an index predicate and
-- a default (ALTER TYPE ... ADD VALUE has to be committed first).
CREATE TYPE alert_status AS ENUM ('pending', 'escalated', 'delivered', 'acknowledged');

CREATE TABLE alerts (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    event_id    bigint NOT NULL,
    status      alert_status NOT NULL DEFAULT 'pending',
    escalation  alert_status DEFAULT 'escalated',
    created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX idx_alerts_pending ON alerts (created_at) WHERE status = 'pending';
CREATE INDEX idx_alerts_open ON alerts (created_at) WHERE status IN ('pending', 'escalated');
