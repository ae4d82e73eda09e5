CREATE SCHEMA app;
CREATE SCHEMA archive;
-- Moved into archive under new names, where their old names are taken:
-- renamed where they are first, then moved.
CREATE TABLE archive.orders_2024 (id serial PRIMARY KEY, total numeric(10,2)); -- @renamed-from: app.orders
CREATE VIEW archive.orders_2024_view AS SELECT id FROM archive.orders_2024; -- @renamed-from: app.orders_view
CREATE FUNCTION archive.app_total() RETURNS int LANGUAGE sql AS 'SELECT 1'; -- @renamed-from: app.total
CREATE TABLE archive.orders (id int PRIMARY KEY);
CREATE VIEW archive.orders_view AS SELECT id FROM archive.orders;
CREATE FUNCTION archive.total() RETURNS int LANGUAGE sql AS 'SELECT 2';
