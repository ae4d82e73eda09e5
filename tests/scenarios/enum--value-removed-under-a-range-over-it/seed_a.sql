INSERT INTO alert_rules VALUES (1, 'info', '[info,critical]'), (2, 'warning', '[warning,critical)'), (3, 'critical', NULL);
