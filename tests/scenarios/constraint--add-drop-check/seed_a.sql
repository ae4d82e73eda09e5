INSERT INTO quiet_hours_periods (label, start_time, end_time, priority) VALUES
    ('Night', '22:00', '07:00', 1),
    ('Lunch', '12:00', '13:00', 0),
    ('Weekend mornings', '06:00', '09:30', 2);
