CREATE TABLE venue_profiles (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    venue_name     text NOT NULL,
    embedding_ref  varchar(255)
);

COMMENT ON COLUMN venue_profiles.embedding_ref IS 'Key into the future vector store (pgvector)';
