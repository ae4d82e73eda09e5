-- Enum types shared across the pipeline.
--
-- Adding a value to one of these needs ALTER TYPE ... ADD VALUE; alembic
-- autogenerate never noticed that, which is why they live here explicitly.

CREATE TYPE camera_status AS ENUM ('online', 'offline', 'error', 'unknown');

CREATE TYPE event_risk_level AS ENUM ('low', 'medium', 'high', 'critical');

CREATE TYPE alert_severity AS ENUM ('low', 'medium', 'high', 'critical');

CREATE TYPE alert_status AS ENUM ('pending', 'delivered', 'acknowledged', 'dismissed');

CREATE TYPE job_status AS ENUM ('queued', 'running', 'completed', 'failed', 'cancelled');

CREATE TYPE household_role AS ENUM ('owner', 'admin', 'member', 'viewer');

COMMENT ON TYPE event_risk_level IS 'Bucketed risk derived from events.risk_score by the LLM analyzer';
COMMENT ON TYPE job_status IS 'Lifecycle of background jobs and export jobs';
