INSERT INTO alerts (dedup_key) VALUES ('front_door:rule-1'), ('backyard:rule-2'), ('garage:rule-3');
INSERT INTO alert_rules (name) VALUES ('Night intruder');
