-- Sessions across tracker restarts, and why uploads fail. A released migration is never
-- edited: change the schema by adding a file with the next number.
--
-- Where each running session stood when its tracker last stored it (the core's
-- Checkpoint): a restarted tracker compares it with the game's pages and carries on with
-- the session the game is still in. Removed when the game ends the session; kept when the
-- tracker stops (the session may go on without it).
CREATE TABLE session_checkpoints (
    session_id     INTEGER PRIMARY KEY REFERENCES sessions (id),
    at_ms          INTEGER NOT NULL,
    completed_laps INTEGER NOT NULL,
    current_ms     INTEGER NOT NULL,
    time_left_ms   REAL    NOT NULL,
    distance_m     REAL    NOT NULL,
    attempts       INTEGER NOT NULL
);

CREATE INDEX session_checkpoints_recent ON session_checkpoints (at_ms);

-- The reason the server gave (or the failure seen) at the last failed attempt to upload an
-- outbox item, and when: `pitwall status` shows it.
ALTER TABLE upload_outbox ADD COLUMN last_error TEXT;
ALTER TABLE upload_outbox ADD COLUMN last_error_at_ms INTEGER;
