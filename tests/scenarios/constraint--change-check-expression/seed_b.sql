INSERT INTO jobs (job_type, priority, attempt_number, max_attempts) VALUES
    ('reanalyze', 1, 1, 3),
    ('export', 3, 2, 2);
