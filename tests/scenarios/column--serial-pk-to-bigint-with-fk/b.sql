-- detections.id outgrows int4: bigserial (the owned sequence becomes
-- AS bigint) and the referencing column follows.
CREATE TABLE detections (
    id           bigserial PRIMARY KEY,
    camera_id    varchar(64) NOT NULL,
    file_path    varchar(500) NOT NULL,
    detected_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE events (
    id         serial PRIMARY KEY,
    batch_id   varchar(64) NOT NULL UNIQUE,
    camera_id  varchar(64) NOT NULL
);

CREATE TABLE event_detections (
    event_id      integer NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    detection_id  bigint NOT NULL REFERENCES detections (id) ON DELETE CASCADE,
    PRIMARY KEY (event_id, detection_id)
);

CREATE INDEX idx_event_detections_detection_id ON event_detections (detection_id);
