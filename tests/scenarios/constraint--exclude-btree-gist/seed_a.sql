INSERT INTO camera_maintenance_windows (camera_id, during, reason) VALUES
    ('front_door', '[2024-05-01 08:00+00, 2024-05-01 09:00+00)', 'Lens cleaning'),
    ('front_door', '[2024-05-02 08:00+00, 2024-05-02 10:00+00)', 'Firmware update'),
    ('backyard', '[2024-05-01 08:30+00, 2024-05-01 09:30+00)', 'Repositioning');
