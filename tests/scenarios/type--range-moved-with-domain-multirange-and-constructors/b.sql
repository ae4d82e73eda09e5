CREATE SCHEMA timing;
-- The range moves to schema timing under a new name; a fresh build
-- names its multirange timing.frame_span_multirange and its constructors
-- timing.frame_span(...), which queries call.
CREATE TYPE timing.frame_span AS RANGE (subtype = int8); -- @renamed-from: public.span
CREATE DOMAIN clip_span AS timing.frame_span CHECK (NOT isempty(VALUE));
CREATE TABLE clips (
    id       int PRIMARY KEY,
    frames   clip_span NOT NULL,
    pauses   timing.frame_span_multirange,
    whole    timing.frame_span GENERATED ALWAYS AS (timing.frame_span(lower(frames), upper(frames) + 1)) STORED
);
CREATE VIEW first_clips AS SELECT id FROM clips WHERE frames && timing.frame_span(0, 100);
