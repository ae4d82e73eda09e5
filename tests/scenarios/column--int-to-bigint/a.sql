CREATE TABLE gpu_stats (
    id               serial PRIMARY KEY,
    recorded_at      timestamptz NOT NULL DEFAULT now(),
    gpu_name         varchar(255),
    gpu_utilization  double precision,
    memory_used      integer,
    memory_total     integer,
    inference_fps    double precision
);

CREATE INDEX idx_gpu_stats_memory_used ON gpu_stats (memory_used);
