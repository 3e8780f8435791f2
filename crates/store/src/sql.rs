//! SQL text shared by both backends: the same statements run on SQLite and PostgreSQL
//! (`$n` placeholders, `ON CONFLICT`, window functions; no extensions). Column lists are
//! decoded by position in [`crate::rows`], so each list and its decoder change together.

/// A session's columns, with its driver's name (`s` is `sessions`, `d` is `drivers`).
pub(crate) const SESSION_COLS: &str = "s.id, d.name, s.track, s.car, s.session_type, \
    s.session_index, s.sector_count, s.started_at_ms, s.ended_at_ms, s.sm_version, \
    s.ac_version, s.online, s.joined_late, s.air_temp_c, s.road_temp_c, s.track_grip, \
    s.rain_intensity, s.laps_packed";

/// Position of `s.laps_packed` in [`SESSION_COLS`].
pub(crate) const LAPS_PACKED_COL: usize = 17;

/// A lap's columns (`l` is `laps`), followed in lap queries by `sc.idx, sc.time_ms`.
pub(crate) const LAP_COLS: &str = "l.id, l.session_id, l.number, l.time_ms, l.valid, \
    l.invalid_sector, l.out_lap, l.in_lap, l.partial, l.started_at_ms, l.completed_at_ms, \
    l.car_index, l.car_model, l.race_number, l.driver_name";

/// Number of columns in [`LAP_COLS`].
pub(crate) const LAP_COL_COUNT: usize = 15;

/// Sessions joined with their drivers.
pub(crate) const SESSIONS_FROM: &str = " FROM sessions s JOIN drivers d ON d.id = s.driver_id";

/// Laps joined with their sessions and drivers.
pub(crate) const LAPS_FROM: &str = " FROM laps l JOIN sessions s ON s.id = l.session_id \
    JOIN drivers d ON d.id = s.driver_id";

/// A lap that counts for bests: valid, flying and timed.
pub(crate) const COUNTING: &str = "l.valid AND NOT l.out_lap AND NOT l.in_lap AND l.time_ms > 0";

/// A lap of its session's own car and driver (`l`, `s`, `d` as in [`LAPS_FROM`]): records
/// and references are the session driver's, never those of another car a timing source gave
/// in the same session. Laps from before car identity are their session's (migration 0005).
pub(crate) const OWN_LAP: &str = " AND l.car_model = s.car AND l.driver_name = d.name";

/// Creates a driver if new (then [`DRIVER_ID`] finds it).
pub(crate) const INSERT_DRIVER: &str =
    "INSERT INTO drivers (name) VALUES ($1) ON CONFLICT (name) DO NOTHING";

/// A driver's id by name.
pub(crate) const DRIVER_ID: &str = "SELECT id FROM drivers WHERE name = $1";

/// Stores a session unless its id is known.
pub(crate) const INSERT_SESSION: &str = "INSERT INTO sessions (id, driver_id, track, car, \
    session_type, session_index, sector_count, started_at_ms, sm_version, ac_version, online, \
    joined_late, air_temp_c, road_temp_c, track_grip, rain_intensity) \
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16) \
    ON CONFLICT (id) DO NOTHING";

/// Records a session's conditions unless it has some.
pub(crate) const SET_CONDITIONS: &str = "UPDATE sessions SET air_temp_c = $2, road_temp_c = $3, \
    track_grip = $4, rain_intensity = $5 WHERE id = $1 AND air_temp_c IS NULL";

/// Records a session's end.
pub(crate) const END_SESSION: &str = "UPDATE sessions SET ended_at_ms = $2 WHERE id = $1";

/// Stores a lap unless its id is known (its sectors follow only when it was new).
pub(crate) const INSERT_LAP: &str = "INSERT INTO laps (id, session_id, number, time_ms, valid, \
    invalid_sector, out_lap, in_lap, partial, started_at_ms, completed_at_ms, car_index, \
    car_model, race_number, driver_name) \
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) \
    ON CONFLICT (id) DO NOTHING";

/// The driver of a stored session (`$1`).
pub(crate) const SESSION_DRIVER: &str = "SELECT driver_id FROM sessions WHERE id = $1";

/// The session, number and car index stored under a lap id (`$1`).
pub(crate) const LAP_OWNER: &str = "SELECT session_id, number, car_index FROM laps WHERE id = $1";

/// Another lap of a session (`$1`) with the number `$2` than the lap `$3`, of the car with
/// index `$4` (each car numbers its laps).
pub(crate) const LAP_WITH_NUMBER: &str = "SELECT id FROM laps WHERE session_id = $1 \
    AND number = $2 AND id <> $3 AND car_index = $4 LIMIT 1";

/// A session's (`$1`) car model and driver's name: what a lap's packed record omits when
/// the lap's are the same.
pub(crate) const SESSION_IDENTITY: &str = "SELECT s.car, d.name FROM sessions s \
    JOIN drivers d ON d.id = s.driver_id WHERE s.id = $1";

/// Stores a token hash unless known.
pub(crate) const INSERT_TOKEN: &str = "INSERT INTO api_tokens (hash, driver_id, created_at_ms) \
    VALUES ($1, $2, $3) ON CONFLICT (hash) DO NOTHING";

/// The driver of an active token.
pub(crate) const TOKEN_DRIVER: &str = "SELECT d.name FROM api_tokens t \
    JOIN drivers d ON d.id = t.driver_id WHERE t.hash = $1 AND t.revoked_at_ms IS NULL";

/// Revokes an active token.
pub(crate) const REVOKE_TOKEN: &str = "UPDATE api_tokens SET revoked_at_ms = $2 \
    WHERE hash = $1 AND revoked_at_ms IS NULL";

/// The best counting lap per track, car and driver, ranked (`rn = 1` is the record).
/// Callers append conditions to the inner `WHERE` and close it with [`RANKED_TAIL`].
pub(crate) const RANKED_HEAD: &str = "SELECT track, car, driver, time_ms, id, session_id, \
    completed_at_ms FROM (SELECT s.track, s.car, d.name AS driver, l.time_ms, l.id, \
    l.session_id, l.completed_at_ms, ROW_NUMBER() OVER (PARTITION BY s.track, s.car, \
    s.driver_id ORDER BY l.time_ms, l.completed_at_ms, l.id) AS rn FROM laps l \
    JOIN sessions s ON s.id = l.session_id JOIN drivers d ON d.id = s.driver_id WHERE ";

/// Closes [`RANKED_HEAD`]: keeps the records, fastest first within each track and car.
pub(crate) const RANKED_TAIL: &str =
    ") r WHERE rn = 1 ORDER BY track, car, time_ms, completed_at_ms, id";

/// The best time of each sector index among counting laps (see [`RANKED_HEAD`] for the
/// shape); `$1` track, `$2` car, optionally `$3` driver.
pub(crate) const BEST_SECTORS_HEAD: &str = "SELECT idx, time_ms, lap_id, number, \
    completed_at_ms FROM (SELECT sc.idx, sc.time_ms, l.id AS lap_id, l.number, \
    l.completed_at_ms, ROW_NUMBER() OVER (PARTITION BY sc.idx ORDER BY sc.time_ms, \
    l.completed_at_ms, l.id) AS rn FROM sectors sc JOIN laps l ON l.session_id = sc.session_id AND l.id = sc.lap_id \
    JOIN sessions s ON s.id = l.session_id JOIN drivers d ON d.id = s.driver_id \
    WHERE s.track = $1 AND s.car = $2 AND sc.time_ms > 0 AND ";

/// Closes [`BEST_SECTORS_HEAD`].
pub(crate) const BEST_SECTORS_TAIL: &str = ") r WHERE rn = 1 ORDER BY idx";

/// The most sectors a session on a track and car has (`$1`, `$2`, optionally `$3` driver).
pub(crate) const MAX_SECTORS_HEAD: &str = "SELECT MAX(s.sector_count) FROM sessions s JOIN drivers d ON d.id = s.driver_id \
    WHERE s.track = $1 AND s.car = $2";

/// The laps that improved a driver's best on a track and car (`$1`, `$2`, `$3`), with the
/// best before each.
pub(crate) const PB_PROGRESSION: &str = "SELECT id, time_ms, completed_at_ms, prev_best FROM \
    (SELECT l.id, l.time_ms, l.completed_at_ms, MIN(l.time_ms) OVER (ORDER BY \
    l.completed_at_ms, l.id ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS prev_best \
    FROM laps l JOIN sessions s ON s.id = l.session_id JOIN drivers d ON d.id = s.driver_id \
    WHERE s.track = $1 AND s.car = $2 AND d.name = $3 AND l.valid AND NOT l.out_lap \
    AND NOT l.in_lap AND l.time_ms > 0 AND l.car_model = s.car AND l.driver_name = d.name) r \
    WHERE prev_best IS NULL OR time_ms < prev_best ORDER BY completed_at_ms, id";

/// Tracks and cars with session and lap counts; an optional `WHERE d.name = $1` goes
/// between this and [`TRACKS_CARS_TAIL`].
pub(crate) const TRACKS_CARS_HEAD: &str = "SELECT s.track, s.car, COUNT(DISTINCT s.id), \
    COUNT(l.id), MAX(l.completed_at_ms) FROM sessions s JOIN drivers d ON d.id = s.driver_id \
    LEFT JOIN laps l ON l.session_id = s.id";

/// Closes [`TRACKS_CARS_HEAD`].
pub(crate) const TRACKS_CARS_TAIL: &str = " GROUP BY s.track, s.car ORDER BY s.track, s.car";

/// Queues an upload item (`$1` session, `$2` kind: 0 session, 1 lap, `$3` lap or 0, `$4` when).
pub(crate) const QUEUE_UPLOAD: &str = "INSERT INTO upload_outbox (session_id, kind, lap_id, \
    queued_at_ms) VALUES ($1, $2, $3, $4) ON CONFLICT (session_id, kind, lap_id) DO NOTHING";

/// The oldest queued upload items, sessions before their laps.
pub(crate) const PENDING_UPLOADS: &str = "SELECT session_id, kind, lap_id, queued_at_ms, \
    attempts FROM upload_outbox ORDER BY queued_at_ms, session_id, kind, lap_id LIMIT $1";

/// Removes an acknowledged item.
pub(crate) const ACK_UPLOAD: &str =
    "DELETE FROM upload_outbox WHERE session_id = $1 AND kind = $2 AND lap_id = $3";

/// Counts a failed attempt.
pub(crate) const RETRY_UPLOAD: &str = "UPDATE upload_outbox SET attempts = attempts + 1 \
    WHERE session_id = $1 AND kind = $2 AND lap_id = $3";

/// How many items wait, and since when.
pub(crate) const OUTBOX_STATUS: &str = "SELECT COUNT(*), MIN(queued_at_ms) FROM upload_outbox";

/// Stores a session's checkpoint, replacing the previous one.
pub(crate) const SAVE_CHECKPOINT: &str = "INSERT INTO session_checkpoints (session_id, at_ms, \
    completed_laps, current_ms, time_left_ms, distance_m, attempts) \
    VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (session_id) DO UPDATE SET \
    at_ms = excluded.at_ms, completed_laps = excluded.completed_laps, \
    current_ms = excluded.current_ms, time_left_ms = excluded.time_left_ms, \
    distance_m = excluded.distance_m, attempts = excluded.attempts";

/// Removes a session's checkpoint.
pub(crate) const DROP_CHECKPOINT: &str = "DELETE FROM session_checkpoints WHERE session_id = $1";

/// The latest checkpoint.
pub(crate) const LAST_CHECKPOINT: &str = "SELECT session_id, at_ms, completed_laps, current_ms, \
    time_left_ms, distance_m, attempts FROM session_checkpoints \
    ORDER BY at_ms DESC, session_id DESC LIMIT 1";

/// Clears an ended session's end.
pub(crate) const REOPEN_SESSION: &str =
    "UPDATE sessions SET ended_at_ms = NULL WHERE id = $1 AND ended_at_ms IS NOT NULL";

/// Counts a failed attempt of an item, with its reason.
pub(crate) const FAIL_UPLOAD: &str = "UPDATE upload_outbox SET attempts = attempts + 1, \
    last_error = $4, last_error_at_ms = $5 WHERE session_id = $1 AND kind = $2 AND lap_id = $3";

/// The last failure of each session's items, latest first.
pub(crate) const UPLOAD_FAILURES: &str = "SELECT session_id, COUNT(*), MAX(last_error_at_ms), \
    MAX(last_error) FROM upload_outbox o WHERE last_error IS NOT NULL \
    AND last_error_at_ms = (SELECT MAX(last_error_at_ms) FROM upload_outbox i \
    WHERE i.session_id = o.session_id) \
    GROUP BY session_id ORDER BY MAX(last_error_at_ms) DESC, session_id LIMIT $1";
