CREATE SCHEMA app; CREATE SCHEMA billing; CREATE SCHEMA archive;
CREATE TABLE archive.app_events (id int PRIMARY KEY); -- @renamed-from: app.events
CREATE TABLE archive.billing_events (id int PRIMARY KEY); -- @renamed-from: billing.events
CREATE TABLE archive.events_old (id int CONSTRAINT events_pkey PRIMARY KEY);
