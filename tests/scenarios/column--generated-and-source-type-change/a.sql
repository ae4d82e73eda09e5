CREATE TABLE detections (
    id          integer PRIMARY KEY,
    frames      integer NOT NULL,
    frames_x2   integer GENERATED ALWAYS AS (frames * 2) STORED
);

CREATE INDEX detections_frames_x2 ON detections (frames_x2);
