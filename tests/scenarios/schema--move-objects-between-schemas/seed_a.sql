INSERT INTO app.tickets (state, title) SELECT (ARRAY['open', 'closed'])[1 + g % 2]::app.state, 't' || g FROM generate_series(1, 5) g;
INSERT INTO app.old_tickets (title) SELECT 'old' || g FROM generate_series(1, 3) g;
