CREATE TYPE currency AS ENUM ('EUR', 'USD', 'GBP');
CREATE TYPE price AS (
    amount    integer,
    currency  currency
);
COMMENT ON TYPE price IS 'An amount in minor units';

CREATE TABLE subscriptions (
    id        integer PRIMARY KEY,
    monthly   price NOT NULL,
    history   price[]
);
