INSERT INTO alerts (status) VALUES ('pending'), ('delivered'), ('acknowledged');
