INSERT INTO alert_rules (name, severity) VALUES
    ('Night intruder', 'critical'),
    ('Package left', 'low'),
    ('Car in driveway', 'medium'),
    ('Person in backyard', 'high');
