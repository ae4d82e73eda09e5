INSERT INTO tickets (title) VALUES ('printer jam'), ('no coffee');
