INSERT INTO venue_profiles (venue_name, embedding_ref, embedding) VALUES
    ('Harbour Cafe', 'v1', '[0.1,0.2,0.3]'), ('Night Owl', 'v2', '[0.3,0.2,0.1]');
INSERT INTO venue_neighbours VALUES (1, '[1,1,1]');
