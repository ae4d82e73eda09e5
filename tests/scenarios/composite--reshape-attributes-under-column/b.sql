CREATE TYPE zone_kind AS ENUM ('indoor', 'outdoor');
CREATE TYPE placement AS (
    label     text,
    level     integer, -- @renamed-from: floor
    kind      zone_kind
);

CREATE TABLE cameras (
    id        integer PRIMARY KEY,
    placed    placement,
    history   placement[]
);
