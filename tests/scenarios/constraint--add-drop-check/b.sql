CREATE TABLE quiet_hours_periods (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    label       varchar(255) NOT NULL,
    start_time  time NOT NULL,
    end_time    time NOT NULL,
    priority    integer NOT NULL DEFAULT 0 CHECK (priority >= 0),
    CONSTRAINT ck_quiet_hours_distinct_times CHECK (start_time <> end_time)
);
