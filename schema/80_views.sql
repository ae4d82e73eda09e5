-- Read models for the dashboard: the open-alerts view and a per-camera daily
-- activity rollup (materialized; refreshed by the summary job with
-- REFRESH MATERIALIZED VIEW CONCURRENTLY, hence the unique index).

CREATE VIEW active_alerts AS
SELECT a.id,
       a.event_id,
       a.rule_id,
       r.name        AS rule_name,
       a.severity,
       a.status,
       a.created_at,
       a.delivered_at,
       e.camera_id,
       c.name        AS camera_name,
       e.risk_score,
       e.risk_level,
       e.summary
FROM alerts a
JOIN events e ON e.id = a.event_id
JOIN cameras c ON c.id = e.camera_id
LEFT JOIN alert_rules r ON r.id = a.rule_id
WHERE a.status IN ('pending', 'delivered')
  AND e.deleted_at IS NULL;

COMMENT ON VIEW active_alerts IS 'Alerts that still need attention, joined with their event and camera';

CREATE MATERIALIZED VIEW camera_activity_summary AS
SELECT e.camera_id,
       date_trunc('day', e.started_at)              AS day,
       count(*)                                     AS event_count,
       count(*) FILTER (WHERE e.risk_level IN ('high', 'critical')) AS high_risk_count,
       max(e.risk_score)                            AS max_risk_score,
       avg(e.risk_score)::numeric(5,2)              AS avg_risk_score,
       max(e.started_at)                            AS last_event_at
FROM events e
WHERE e.deleted_at IS NULL
GROUP BY e.camera_id, date_trunc('day', e.started_at)
WITH DATA;

CREATE UNIQUE INDEX idx_camera_activity_summary_camera_day
    ON camera_activity_summary (camera_id, day);
CREATE INDEX idx_camera_activity_summary_day ON camera_activity_summary (day DESC);

COMMENT ON MATERIALIZED VIEW camera_activity_summary IS 'Per-camera daily event rollup for the analytics page';
