CREATE TABLE detections (
    id          integer PRIMARY KEY,
    frames      bigint NOT NULL,
    frames_x2   bigint GENERATED ALWAYS AS (frames * 2) STORED
);

CREATE INDEX detections_frames_x2 ON detections (frames_x2);
