CREATE SCHEMA s1; CREATE SCHEMA s2; CREATE SCHEMA app;
-- @renamed-from: app.users
CREATE TABLE s1.users (id int PRIMARY KEY, created date);
CREATE INDEX idx_created ON s1.users (created); -- @renamed-from: app.users_created
-- @renamed-from: app.orders
CREATE TABLE s2.orders (id int PRIMARY KEY, created date);
CREATE INDEX idx_created ON s2.orders (created); -- @renamed-from: app.orders_created
