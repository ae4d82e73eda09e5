-- Extensions required by the home-security pipeline schema.
--
-- pg_trgm powers the trigram GIN indexes used for LIKE/ILIKE search on
-- event summaries, log messages and camera names. gen_random_uuid() is
-- built into PostgreSQL 13+, so pgcrypto is not needed.

CREATE EXTENSION IF NOT EXISTS pg_trgm;
