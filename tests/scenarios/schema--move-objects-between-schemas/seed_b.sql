INSERT INTO support.tickets (state, title) SELECT (ARRAY['open', 'closed'])[1 + g % 2]::support.ticket_state, 't' || g FROM generate_series(1, 5) g;
INSERT INTO archive.old_tickets (title) SELECT 'old' || g FROM generate_series(1, 3) g;
