INSERT INTO quiet_hours_periods (label, start_time, end_time, priority) VALUES
    ('Night', '22:00', '07:00', 1),
    ('Siesta', '14:00', '15:00', 0);
