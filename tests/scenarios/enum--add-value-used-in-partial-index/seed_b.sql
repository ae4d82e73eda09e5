INSERT INTO alerts (event_id, status, escalation) VALUES
    (1, 'pending', NULL),
    (2, 'delivered', NULL),
    (3, 'acknowledged', 'acknowledged');
