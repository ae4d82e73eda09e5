INSERT INTO export_jobs (status, export_format) VALUES
    ('pending', 'csv'),
    ('completed', 'json'),
    ('failed', 'csv');
