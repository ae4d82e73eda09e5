CREATE TABLE cameras (
    id    varchar(64) PRIMARY KEY,
    name  varchar(255) NOT NULL
);

CREATE TABLE logs (
    id         bigserial PRIMARY KEY,
    level      varchar(10) NOT NULL,
    component  varchar(50) NOT NULL,
    message    text NOT NULL
);
