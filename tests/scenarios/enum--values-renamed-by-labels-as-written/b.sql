CREATE TYPE status AS ENUM (
    'two words',  -- @renamed-from: Two Words
    'y',          -- @renamed-from: 'x'
    'it is',      -- @renamed-from: 'it''s'
    'caps'        -- @renamed-from: "Caps"
);

CREATE TABLE item (
    id int PRIMARY KEY,
    s status NOT NULL
);
