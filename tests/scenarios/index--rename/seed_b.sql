INSERT INTO alerts (event_id, dedup_key) VALUES
    (1, 'front_door:rule-1'),
    (2, 'front_door:rule-1'),
    (3, 'backyard:rule-2');
