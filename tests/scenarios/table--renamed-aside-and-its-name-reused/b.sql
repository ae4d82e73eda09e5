-- The old table is kept as an archive; a new one takes its name, with
-- the same generated names (detections_pkey, detections_id_seq, ...).
CREATE TABLE detections_archive ( -- @renamed-from: detections
    id          serial PRIMARY KEY,
    camera      text NOT NULL,
    label       text NOT NULL,
    UNIQUE (camera, label)
);
CREATE INDEX detections_archive_label_idx ON detections_archive (label);

CREATE TABLE detections (
    id          serial PRIMARY KEY,
    camera      text NOT NULL,
    label       text NOT NULL,
    score       real,
    UNIQUE (camera, label)
);
CREATE INDEX detections_label_idx ON detections (label);
