INSERT INTO venue_profiles (venue_name, embedding_ref) VALUES ('Harbour Cafe', 'v1'), ('Night Owl', 'v2');
