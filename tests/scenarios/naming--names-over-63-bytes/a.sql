-- @renamed-from: readings_from_every_sensor_in_the_house_and_the_garage_collected_each_minute
CREATE TABLE readings (
    id int PRIMARY KEY,
    -- @renamed-from: garage_sensor_value_measured_every_single_minute_of_the_day_and_night
    value_measured_by_the_sensor_in_the_garage_every_minute int
);
CREATE TYPE state_of_the_camera_that_watches_the_garage_door_from_the_ceiling AS ENUM ('on', 'off', 'broken');
CREATE TABLE cams (id int PRIMARY KEY, s state_of_the_camera_that_watches_the_garage_door_from_the_ceiling);
