INSERT INTO job_logs (job_id, message) VALUES
    ('6f1c1d9e-8a7b-4c3d-9e2f-0a1b2c3d4e5f', 'Started'),
    ('6f1c1d9e-8a7b-4c3d-9e2f-0a1b2c3d4e5f', 'Slow GPU'),
    ('6f1c1d9e-8a7b-4c3d-9e2f-0a1b2c3d4e5f', 'Done');
