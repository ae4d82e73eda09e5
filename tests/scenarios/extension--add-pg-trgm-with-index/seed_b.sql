INSERT INTO cameras (id, name) VALUES ('front_door', 'Front Door'), ('backyard', 'Backyard');
INSERT INTO logs (level, component, message) VALUES
    ('INFO', 'file_watcher', 'New file /export/foscam/front_door/a.jpg'),
    ('ERROR', 'detector', 'CUDA out of memory'),
    ('INFO', 'nemotron', 'Batch analysed in 2.1s');
