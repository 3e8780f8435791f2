-- Which car and driver each lap belongs to (the core's Lap.car and Lap.driver). A released
-- migration is never edited: change the schema by adding a file with the next number.
--
-- car_index is the game's car index (shared memory playerCarID, the broadcasting feed's
-- carIndex, a results file's carId); laps stored before this migration were all the
-- player's and get 0, their session's car model and their session's driver. Each car
-- numbers its own laps: a session holds each lap number once per car_index.
ALTER TABLE laps ADD COLUMN car_index   BIGINT NOT NULL DEFAULT 0;
ALTER TABLE laps ADD COLUMN car_model   TEXT    NOT NULL DEFAULT '';
ALTER TABLE laps ADD COLUMN race_number BIGINT;
ALTER TABLE laps ADD COLUMN driver_name TEXT    NOT NULL DEFAULT '';

UPDATE laps SET
    car_model = (SELECT s.car FROM sessions s WHERE s.id = laps.session_id),
    driver_name = (SELECT d.name FROM sessions s JOIN drivers d ON d.id = s.driver_id
              WHERE s.id = laps.session_id);
