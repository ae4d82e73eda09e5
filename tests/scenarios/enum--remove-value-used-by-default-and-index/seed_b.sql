INSERT INTO export_jobs (status, export_format) VALUES
    ('running', 'csv'),
    ('completed', 'json'),
    ('completed', 'csv'),
    ('failed', 'zip');
