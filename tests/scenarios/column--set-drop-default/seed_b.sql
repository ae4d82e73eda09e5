INSERT INTO jobs (job_type, priority) VALUES
    ('reanalyze', 2),
    ('cleanup', 4);
INSERT INTO jobs (job_type, queue_name, priority, metadata, created_at) VALUES
    ('export', 'exports', 0, NULL, '2024-05-02 09:00:00+00');
