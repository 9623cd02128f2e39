-- Imports uploaded through the API, with their progress.
CREATE TABLE imports (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL,
    options     TEXT NOT NULL,
    dry_run     INTEGER NOT NULL DEFAULT 0,
    status      TEXT NOT NULL,
    stats       TEXT NOT NULL,
    error       TEXT,
    started_at  INTEGER NOT NULL,
    finished_at INTEGER
);
