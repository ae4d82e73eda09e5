-- The keys widen to bigint, the most common migration of a growing
-- table: PostgreSQL keeps the primary and unique keys, the foreign key
-- and the plain index through ALTER COLUMN ... TYPE (their definitions
-- read the same on bigint); only the CHECK is created again from here.
CREATE TABLE customer (
    id   bigint PRIMARY KEY,
    code integer UNIQUE
);
CREATE TABLE orders (
    id          bigint PRIMARY KEY,
    customer_id bigint REFERENCES customer (id),
    CHECK (customer_id > 0)
);
CREATE INDEX orders_customer_id ON orders (customer_id);
