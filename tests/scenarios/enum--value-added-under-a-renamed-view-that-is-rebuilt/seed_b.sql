INSERT INTO jobs (state) VALUES ('new'), (NULL);
