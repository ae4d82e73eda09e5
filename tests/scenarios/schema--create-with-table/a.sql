CREATE TABLE cameras (
    id    varchar(64) PRIMARY KEY,
    name  varchar(255) NOT NULL
);
