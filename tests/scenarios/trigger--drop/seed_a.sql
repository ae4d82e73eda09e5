INSERT INTO alerts (dedup_key) VALUES ('front_door:rule-1'), ('backyard:rule-2');
INSERT INTO alert_rules (name) VALUES ('Night intruder'), ('Package left');
UPDATE alerts SET dedup_key = 'front_door:rule-9' WHERE dedup_key = 'front_door:rule-1';
