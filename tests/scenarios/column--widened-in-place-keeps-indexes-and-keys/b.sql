-- Wider codes, more precise prices and times: PostgreSQL changes these
-- columns without rewriting the tables, and keeps the indexes, keys and
-- foreign keys over them; only the CHECK is added again.
CREATE TABLE products (
    code     varchar(20) PRIMARY KEY,
    sku      varchar(20) UNIQUE,
    price    numeric(12,2) NOT NULL CHECK (price >= 0),
    seen_at  timestamp(3)
);
CREATE INDEX products_price_idx ON products (price);
CREATE INDEX products_seen_idx ON products (seen_at DESC);
CREATE TABLE order_lines (
    id       int PRIMARY KEY,
    product  varchar(20) NOT NULL REFERENCES products (code)
);
CREATE INDEX order_lines_product_idx ON order_lines (product);
