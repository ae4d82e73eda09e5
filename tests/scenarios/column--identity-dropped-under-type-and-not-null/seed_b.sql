INSERT INTO tickets (number, title) VALUES ('1', 'printer jam'), ('2', 'no coffee');
