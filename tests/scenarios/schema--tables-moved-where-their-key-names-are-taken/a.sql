CREATE SCHEMA app; CREATE SCHEMA billing; CREATE SCHEMA archive;
-- @renamed-from: archive.app_events
CREATE TABLE app.events (id int PRIMARY KEY);
-- @renamed-from: archive.billing_events
CREATE TABLE billing.events (id int PRIMARY KEY);
CREATE TABLE archive.events_old (id int CONSTRAINT events_pkey PRIMARY KEY);
