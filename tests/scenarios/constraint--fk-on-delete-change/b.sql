-- Deleting an area must not delete its cameras any more.
CREATE TABLE areas (
    id    serial PRIMARY KEY,
    name  varchar(100) NOT NULL
);

CREATE TABLE cameras (
    id       varchar(64) PRIMARY KEY,
    name     varchar(255) NOT NULL,
    area_id  integer REFERENCES areas (id) ON DELETE SET NULL,
    CONSTRAINT fk_cameras_backup_area FOREIGN KEY (backup_area_id) REFERENCES areas (id)
        ON UPDATE CASCADE ON DELETE SET NULL,
    backup_area_id integer
);
