INSERT INTO venue_profiles (venue_name, embedding) VALUES ('Harbour Cafe', '[0.1,0.2,0.3]'), ('Night Owl', NULL);
