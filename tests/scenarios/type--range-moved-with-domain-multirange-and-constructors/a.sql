CREATE SCHEMA timing;
-- @renamed-from: timing.frame_span
CREATE TYPE span AS RANGE (subtype = int8);
CREATE DOMAIN clip_span AS span CHECK (NOT isempty(VALUE));
CREATE TABLE clips (
    id       int PRIMARY KEY,
    frames   clip_span NOT NULL,
    pauses   span_multirange,
    whole    span GENERATED ALWAYS AS (span(lower(frames), upper(frames) + 1)) STORED
);
CREATE VIEW first_clips AS SELECT id FROM clips WHERE frames && span(0, 100);
