CREATE TABLE zones ( -- @renamed-from: camera_zones
    id    integer PRIMARY KEY,
    name  text,
    label text
);
