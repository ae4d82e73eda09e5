INSERT INTO billing.members (address, tier, seats)
    SELECT 'u' || g || '@example.com', (ARRAY['free', 'premium'])[1 + g % 2]::billing.tier, g FROM generate_series(1, 6) g;
INSERT INTO audit.log (user_id, note) SELECT g, 'signed up' FROM generate_series(1, 6) g;
