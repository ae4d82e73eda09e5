CREATE DOMAIN hex_color AS varchar(9)
    DEFAULT '#76B900'
    CONSTRAINT hex_color_format CHECK (VALUE ~ '^#[0-9A-Fa-f]{6}$');

CREATE TABLE areas (
    id     serial PRIMARY KEY,
    name   varchar(100) NOT NULL,
    color  hex_color NOT NULL
);

CREATE TABLE camera_zones (
    id     serial PRIMARY KEY,
    name   varchar(255) NOT NULL,
    color  hex_color
);
