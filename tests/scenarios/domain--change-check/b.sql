-- Zone overlays may carry an alpha channel (#RRGGBBAA); default is now blue.
CREATE DOMAIN hex_color AS varchar(9)
    DEFAULT '#3B82F6'
    CONSTRAINT hex_color_format CHECK (VALUE ~ '^#[0-9A-Fa-f]{6}([0-9A-Fa-f]{2})?$')
    CONSTRAINT hex_color_upper CHECK (VALUE = upper(VALUE));

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
