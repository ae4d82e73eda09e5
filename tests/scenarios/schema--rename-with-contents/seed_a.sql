INSERT INTO accounts.users (mail, tier, seats)
    SELECT 'u' || g || '@example.com', (ARRAY['free', 'pro'])[1 + g % 2]::accounts.tier, g FROM generate_series(1, 6) g;
INSERT INTO accounts.log (user_id, note) SELECT g, 'signed up' FROM generate_series(1, 6) g;
