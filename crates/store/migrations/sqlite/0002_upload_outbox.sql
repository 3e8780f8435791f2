-- The upload outbox: what a collector with `--upload` still has to send to a remote server.
-- A row is added in the transaction that stores the lap (kind 1) or records the session's
-- start or end (kind 0, lap_id 0), and removed when the server acknowledges it.
CREATE TABLE upload_outbox (
    session_id   INTEGER NOT NULL,
    kind         INTEGER NOT NULL,
    lap_id       INTEGER NOT NULL,
    queued_at_ms INTEGER NOT NULL,
    attempts     INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (session_id, kind, lap_id)
);

CREATE INDEX upload_outbox_queued ON upload_outbox (queued_at_ms);
