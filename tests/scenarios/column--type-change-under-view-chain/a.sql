CREATE TABLE cameras (
    id    integer PRIMARY KEY,
    name  varchar(20) NOT NULL
);

-- Views over views over the column: every level is rebuilt.
CREATE VIEW camera_names AS SELECT id, name FROM cameras;
CREATE VIEW camera_labels AS SELECT id, upper(name) AS label FROM camera_names;
CREATE MATERIALIZED VIEW camera_label_counts AS
    SELECT label, count(*) AS n FROM camera_labels GROUP BY label;
CREATE INDEX camera_label_counts_label ON camera_label_counts (label);
CREATE VIEW busy_labels AS SELECT label FROM camera_label_counts WHERE n > 1;
