CREATE TYPE alert_status AS ENUM ('pending', 'delivered', 'acknowledged', 'dismissed');

CREATE TABLE alerts (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    event_id    bigint NOT NULL,
    status      alert_status NOT NULL DEFAULT 'pending',
    created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX idx_alerts_pending ON alerts (created_at) WHERE status IN ('pending', 'delivered');
CREATE INDEX idx_alerts_status_created ON alerts (status, created_at DESC)
    WHERE status <> 'dismissed';
