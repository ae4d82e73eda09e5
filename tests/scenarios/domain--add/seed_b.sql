INSERT INTO jobs (job_type, progress_percent) VALUES ('reanalyze', 0), ('cleanup', 55), ('export', 100);
INSERT INTO export_jobs (progress_percent) VALUES (10), (90);
