CREATE SCHEMA app;
CREATE SCHEMA archive;
-- @renamed-from: archive.orders_2024
CREATE TABLE app.orders (id serial PRIMARY KEY, total numeric(10,2));
-- @renamed-from: archive.orders_2024_view
CREATE VIEW app.orders_view AS SELECT id FROM app.orders;
-- @renamed-from: archive.app_total
CREATE FUNCTION app.total() RETURNS int LANGUAGE sql AS 'SELECT 1';
CREATE TABLE archive.orders (id int PRIMARY KEY);
CREATE VIEW archive.orders_view AS SELECT id FROM archive.orders;
CREATE FUNCTION archive.total() RETURNS int LANGUAGE sql AS 'SELECT 2';
