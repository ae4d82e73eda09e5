CREATE TABLE detections (
    id          serial PRIMARY KEY,
    camera      text NOT NULL,
    label       text NOT NULL,
    UNIQUE (camera, label)
);
CREATE INDEX detections_label_idx ON detections (label);
