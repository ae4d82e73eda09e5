CREATE TABLE cameras (
    id           varchar(64) PRIMARY KEY,
    name         varchar(255) NOT NULL
);

CREATE TABLE zones ( -- @renamed-from: camera_zones
    id         serial PRIMARY KEY,
    camera_id  varchar(64) NOT NULL REFERENCES cameras (id) ON DELETE CASCADE,
    name       varchar(255) NOT NULL,
    enabled    boolean NOT NULL DEFAULT true
);

CREATE VIEW enabled_zones AS
SELECT z.id,
       z.name,
       z.camera_id,
       c.name AS camera_name
FROM zones z
JOIN cameras c ON c.id = z.camera_id
WHERE z.enabled;

COMMENT ON VIEW enabled_zones IS 'Zones currently evaluated by the detector';
