CREATE TABLE alerts (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    status      varchar(20) NOT NULL DEFAULT 'pending',
    created_at  timestamptz NOT NULL DEFAULT now()
);

-- @renamed-from: open_alerts
CREATE VIEW pending_alerts AS
SELECT id, status, created_at
FROM alerts
WHERE status IN ('pending', 'delivered');

COMMENT ON VIEW pending_alerts IS 'Alerts that still need attention';
