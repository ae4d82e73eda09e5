INSERT INTO alert_rules (name, channels) VALUES
    ('Night intruder', '{push,email}'),
    ('Package left', DEFAULT),
    ('Camera offline', '{webhook}'),
    ('Nothing yet', '{}');
