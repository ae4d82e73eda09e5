INSERT INTO gpu_stats (gpu_name, gpu_utilization, memory_used, memory_total, inference_fps) VALUES
    ('NVIDIA RTX A5500', 42.5, 8123, 24564, 31.2),
    ('NVIDIA RTX A5500', 77.0, 19000, 24564, 15.0);
