CREATE TABLE customer (
    id   integer PRIMARY KEY,
    code smallint UNIQUE
);
CREATE TABLE orders (
    id          integer PRIMARY KEY,
    customer_id integer REFERENCES customer (id),
    CHECK (customer_id > 0)
);
CREATE INDEX orders_customer_id ON orders (customer_id);
