INSERT INTO events (summary, reasoning, search_vector, score_x2) VALUES
    ('person at the door', 'motion and face', to_tsvector('english', 'person at the door motion and face'), 36),
    ('cat on porch', NULL, NULL, 5);
