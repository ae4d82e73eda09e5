INSERT INTO events (camera_id, risk_score) VALUES ('front_door', 90), ('backyard', 40), ('garage', NULL);
SELECT risk_level_for_score(risk_score) FROM events;
