INSERT INTO alert_rules (name, enabled, risk_threshold) VALUES
    ('Night intruder', true, 70),
    ('Package left', true, 30),
    ('Anything at all', false, NULL);
