CREATE TABLE cameras (
    id           varchar(64) PRIMARY KEY,
    name         varchar(255) NOT NULL,
    folder_path  varchar(500) NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now()
);

-- areas is declared before the properties table it references.
CREATE TABLE areas (
    id           serial PRIMARY KEY,
    property_id  integer NOT NULL REFERENCES properties (id) ON DELETE CASCADE,
    name         varchar(100) NOT NULL,
    description  text,
    created_at   timestamptz NOT NULL DEFAULT now(),
    UNIQUE (property_id, name)
);

CREATE INDEX idx_areas_property_id ON areas (property_id);

CREATE TABLE properties (
    id          serial PRIMARY KEY,
    name        varchar(100) NOT NULL,
    address     text,
    timezone    varchar(64) NOT NULL DEFAULT 'UTC',
    created_at  timestamptz NOT NULL DEFAULT now()
);
