CREATE SCHEMA s1; CREATE SCHEMA s2; CREATE SCHEMA app;
-- @renamed-from: s1.users
CREATE TABLE app.users (id int PRIMARY KEY, created date);
CREATE INDEX users_created ON app.users (created); -- @renamed-from: s1.idx_created
-- @renamed-from: s2.orders
CREATE TABLE app.orders (id int PRIMARY KEY, created date);
CREATE INDEX orders_created ON app.orders (created); -- @renamed-from: s2.idx_created
