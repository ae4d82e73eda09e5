CREATE DOMAIN camera_code AS varchar(12) CHECK (VALUE ~ '^[a-z0-9_]+$');
COMMENT ON DOMAIN camera_code IS 'Short camera identifier';

CREATE TABLE cameras (
    id    integer PRIMARY KEY,
    code  camera_code NOT NULL
);

CREATE UNIQUE INDEX cameras_code ON cameras (code);
CREATE VIEW camera_codes AS SELECT id, code FROM cameras;
