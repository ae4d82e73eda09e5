CREATE TABLE cameras (
    id       integer PRIMARY KEY,
    name     text CONSTRAINT cameras_name_required NOT NULL,
    location text CONSTRAINT "cameras location required" NOT NULL,
    serial   text NOT NULL,
    model    text
);

-- The named NOT NULL keeps its name; the unnamed one follows the table.
CREATE TABLE sites ( -- @renamed-from: places
    id    integer PRIMARY KEY,
    label text CONSTRAINT place_label_required NOT NULL,
    code  text NOT NULL
);
