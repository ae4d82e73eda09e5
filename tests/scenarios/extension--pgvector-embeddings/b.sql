CREATE EXTENSION IF NOT EXISTS vector;

CREATE TABLE venue_profiles (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    venue_name     text NOT NULL,
    embedding_ref  varchar(255),
    embedding      vector(3),
    mode_embedding vector(3) NOT NULL DEFAULT '[0,0,0]'
);

CREATE TABLE venue_neighbours (
    venue_id    bigint NOT NULL REFERENCES venue_profiles (id) ON DELETE CASCADE,
    centroid    vector(3) NOT NULL,
    PRIMARY KEY (venue_id)
);

CREATE INDEX ix_venue_profiles_embedding ON venue_profiles
    USING hnsw (embedding vector_cosine_ops) WITH (m = 16, ef_construction = 64);
CREATE INDEX ix_venue_profiles_mode_embedding ON venue_profiles
    USING ivfflat (mode_embedding vector_l2_ops) WITH (lists = 4);
CREATE INDEX ix_venue_neighbours_centroid ON venue_neighbours
    USING hnsw (centroid vector_ip_ops);

CREATE VIEW venue_similarity AS
    SELECT a.id AS venue_id, b.id AS other_id, a.embedding <=> b.embedding AS distance
    FROM venue_profiles a JOIN venue_profiles b ON a.id <> b.id;

COMMENT ON COLUMN venue_profiles.embedding_ref IS 'Key into the vector store (pgvector)';
COMMENT ON COLUMN venue_profiles.embedding IS 'Venue description embedding';
