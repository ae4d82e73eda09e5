CREATE TYPE zone_kind AS ENUM ('indoor', 'outdoor', 'garage');
CREATE TYPE placement AS (
    kind      zone_kind,
    floor     integer,
    label     text
);

CREATE TABLE cameras (
    id        integer PRIMARY KEY,
    placed    placement,
    history   placement[]
);
