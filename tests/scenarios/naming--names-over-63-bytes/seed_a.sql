INSERT INTO readings VALUES (1, 10), (2, 20);
INSERT INTO cams VALUES (1, 'on'), (2, 'off');
