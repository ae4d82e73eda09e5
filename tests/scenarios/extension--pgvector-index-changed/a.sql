CREATE EXTENSION IF NOT EXISTS vector;

CREATE TABLE venue_profiles (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    venue_name text NOT NULL,
    embedding  vector(3)
);

CREATE INDEX ix_venue_profiles_embedding ON venue_profiles
    USING hnsw (embedding vector_cosine_ops) WITH (m = 16, ef_construction = 64);
