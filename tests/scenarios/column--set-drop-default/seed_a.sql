INSERT INTO jobs (job_type, queue_name, created_at) VALUES
    ('reanalyze', 'ai', '2024-05-01 10:00:00+00'),
    ('cleanup', 'maintenance', '2024-05-01 10:05:00+00');
INSERT INTO jobs (job_type, queue_name, priority, metadata, created_at) VALUES
    ('export', 'default', 0, '{"format": "csv"}', '2024-05-02 09:00:00+00');
