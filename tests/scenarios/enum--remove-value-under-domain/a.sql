CREATE TYPE alert_level AS ENUM ('low', 'medium', 'high');
CREATE DOMAIN required_level AS alert_level NOT NULL;

CREATE TABLE alerts (
    id     integer PRIMARY KEY,
    level  required_level DEFAULT 'low',
    seen   alert_level[]
);
