CREATE TYPE alert_status AS ENUM ('pending', 'delivered', 'acknowledged');

CREATE TABLE alerts (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    event_id    bigint NOT NULL,
    status      alert_status NOT NULL DEFAULT 'pending',
    created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX idx_alerts_pending ON alerts (created_at) WHERE status = 'pending';
