INSERT INTO gpu_stats (gpu_name, gpu_utilization, memory_used, memory_total, inference_fps) VALUES
    ('NVIDIA RTX A5500', 42.5, 8123, 24564, 31.2),
    ('NVIDIA RTX A5500', 88.0, 20110, 24564, 12.9),
    ('NVIDIA RTX A5500', 3.1, 1200, 24564, NULL);
