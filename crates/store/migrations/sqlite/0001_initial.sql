-- Pitwall's first SQLite schema. A released migration is never edited: change the schema by
-- adding a file with the next number. Ids are the detector's u64 ids bit-cast to i64; times
-- are integer milliseconds; session_type is ACC's numeric value (-1 for UNKNOWN).

CREATE TABLE drivers (
    id   INTEGER PRIMARY KEY,
    name TEXT    NOT NULL UNIQUE
);

CREATE TABLE sessions (
    id             INTEGER PRIMARY KEY,
    driver_id      INTEGER NOT NULL REFERENCES drivers (id),
    track          TEXT    NOT NULL,
    car            TEXT    NOT NULL,
    session_type   INTEGER NOT NULL,
    session_index  INTEGER NOT NULL,
    sector_count   INTEGER NOT NULL,
    started_at_ms  INTEGER NOT NULL,
    ended_at_ms    INTEGER,
    sm_version     TEXT    NOT NULL,
    ac_version     TEXT    NOT NULL,
    online         BOOLEAN NOT NULL,
    joined_late    BOOLEAN NOT NULL,
    -- Conditions at the start, when the caller knows them (NULL otherwise).
    air_temp_c     REAL,
    road_temp_c    REAL,
    track_grip     INTEGER,
    rain_intensity INTEGER,
    -- Every lap of the session with its sectors, packed (see the store's packed.rs), appended
    -- with each new lap: the recent-sessions query reads this instead of laps and sectors.
    laps_packed    BLOB    NOT NULL DEFAULT x''
);

CREATE INDEX sessions_recent ON sessions (started_at_ms DESC, id DESC);
CREATE INDEX sessions_combo ON sessions (track, car, driver_id);
CREATE INDEX sessions_driver ON sessions (driver_id, started_at_ms);

-- Clustered by session (WITHOUT ROWID, keyed by session, number, id): a session's laps
-- share a page or two, so reading the laps of recent sessions touches few pages.
CREATE TABLE laps (
    session_id      INTEGER NOT NULL REFERENCES sessions (id),
    number          INTEGER NOT NULL,
    id              INTEGER NOT NULL UNIQUE,
    time_ms         INTEGER NOT NULL,
    valid           BOOLEAN NOT NULL,
    invalid_sector  INTEGER,
    out_lap         BOOLEAN NOT NULL,
    in_lap          BOOLEAN NOT NULL,
    partial         BOOLEAN NOT NULL,
    started_at_ms   INTEGER NOT NULL,
    completed_at_ms INTEGER NOT NULL,
    PRIMARY KEY (session_id, number, id)
) WITHOUT ROWID;

-- One row per sector of a lap, in order (idx is 0-based); time_ms NULL where unknown. The
-- lap's session is repeated so that a session's sectors are stored together too.
CREATE TABLE sectors (
    session_id INTEGER NOT NULL,
    lap_id     INTEGER NOT NULL REFERENCES laps (id),
    idx        INTEGER NOT NULL,
    time_ms    INTEGER,
    PRIMARY KEY (session_id, lap_id, idx)
) WITHOUT ROWID;

-- API tokens, stored only as a hash of the token.
CREATE TABLE api_tokens (
    hash          BLOB    PRIMARY KEY,
    driver_id     INTEGER NOT NULL REFERENCES drivers (id),
    created_at_ms INTEGER NOT NULL,
    revoked_at_ms INTEGER
);

-- Room for per-lap telemetry traces: one encoded trace per lap (format named by encoding).
CREATE TABLE lap_traces (
    lap_id   INTEGER PRIMARY KEY REFERENCES laps (id),
    encoding TEXT    NOT NULL,
    data     BLOB    NOT NULL
);
