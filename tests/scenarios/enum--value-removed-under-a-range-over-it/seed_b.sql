INSERT INTO alert_rules VALUES (1, 'info', '[info,warning]');
