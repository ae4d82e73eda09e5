CREATE TABLE products (
    code     varchar(10) PRIMARY KEY,
    sku      varchar(10) UNIQUE,
    price    numeric(10,2) NOT NULL CHECK (price >= 0),
    seen_at  timestamp(0)
);
CREATE INDEX products_price_idx ON products (price);
CREATE INDEX products_seen_idx ON products (seen_at DESC);
CREATE TABLE order_lines (
    id       int PRIMARY KEY,
    product  varchar(10) NOT NULL REFERENCES products (code)
);
CREATE INDEX order_lines_product_idx ON order_lines (product);
