-- Names longer than 63 bytes are cut by the server: annotations name the
-- same objects as the cut names, and an enum with a 63-byte name is rebuilt
-- beside itself under a name that still fits.
-- @renamed-from: readings
CREATE TABLE readings_from_every_sensor_in_the_house_and_the_garage_collected_each_minute (
    id int PRIMARY KEY,
    -- @renamed-from: value_measured_by_the_sensor_in_the_garage_every_minute
    garage_sensor_value_measured_every_single_minute_of_the_day_and_night int
);
CREATE TYPE state_of_the_camera_that_watches_the_garage_door_from_the_ceiling AS ENUM ('on', 'off');
CREATE TABLE cams (id int PRIMARY KEY, s state_of_the_camera_that_watches_the_garage_door_from_the_ceiling);
