INSERT INTO jobs (job_type, priority, attempt_number, max_attempts) VALUES
    ('reanalyze', 0, 1, 3),
    ('cleanup', 4, 3, 3),
    ('export', 2, 2, 5);
