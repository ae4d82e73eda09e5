-- PostgreSQL 18 keeps a name for every NOT NULL (pg_constraint, contype 'n'):
-- table_column_not_null unless the file names it. Older majors ignore the names.
CREATE TABLE cameras (
    id       integer PRIMARY KEY,
    name     text NOT NULL,
    location text,
    serial   text CONSTRAINT cameras_serial_required NOT NULL,
    model    text NOT NULL
);

CREATE TABLE places ( -- @renamed-from: sites
    id    integer PRIMARY KEY,
    label text CONSTRAINT place_label_required NOT NULL,
    code  text NOT NULL
);
