INSERT INTO alert_rules (name, risk_threshold, cooldown_seconds, channels) VALUES
    ('Night intruder', 70, 60, '["push", "email"]'),
    ('Package left', 30, DEFAULT, DEFAULT);
