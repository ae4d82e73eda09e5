CREATE TABLE alerts (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    event_id    bigint NOT NULL,
    dedup_key   varchar(255) NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);

-- @renamed-from: idx_alerts_event_id
CREATE INDEX ix_alerts_event ON alerts (event_id);
CREATE INDEX alerts_dedup_key_created_at_idx ON alerts (dedup_key, created_at DESC); -- @renamed-from: idx_alerts_dedup_key_created
