CREATE TABLE alerts (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    event_id    bigint NOT NULL,
    dedup_key   varchar(255) NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);

-- @renamed-from: ix_alerts_event
CREATE INDEX idx_alerts_event_id ON alerts (event_id);
CREATE INDEX idx_alerts_dedup_key_created ON alerts (dedup_key, created_at DESC); -- @renamed-from: alerts_dedup_key_created_at_idx
