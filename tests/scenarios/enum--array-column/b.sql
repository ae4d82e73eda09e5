-- SMS delivery was dropped; Slack webhooks got their own channel.
CREATE TYPE notification_channel AS ENUM ('email', 'push', 'slack', 'webhook');

CREATE TABLE alert_rules (
    id        uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name      varchar(255) NOT NULL,
    channels  notification_channel[] NOT NULL DEFAULT '{push}'
);

CREATE INDEX idx_alert_rules_channels ON alert_rules USING gin (channels);
