INSERT INTO export_jobs (status, export_format) VALUES
    ('pending', 'csv'),
    ('running', 'json'),
    ('completed', 'csv'),
    ('failed', 'json');
