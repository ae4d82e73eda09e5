INSERT INTO readings_from_every_sensor_in_the_house_and_the_garage_collected_each_minute VALUES (1, 10), (2, 20);
INSERT INTO cams VALUES (1, 'on'), (2, 'off');
