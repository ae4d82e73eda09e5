CREATE TYPE status AS ENUM (
    'Two Words',  -- @renamed-from: two words
    'x',          -- @renamed-from: 'y'
    'it''s',      -- @renamed-from: 'it is'
    'Caps'        -- @renamed-from: "caps"
);

CREATE TABLE item (
    id int PRIMARY KEY,
    s status NOT NULL
);
