-- The waterfall: human stages, users and teams, routing, SLA clocks,
-- touches, rejections and timers. Times are Unix milliseconds (UTC).
ALTER TABLE leads ADD COLUMN human_stage TEXT NOT NULL DEFAULT '';
ALTER TABLE leads ADD COLUMN flow TEXT;
ALTER TABLE leads ADD COLUMN owner_id INTEGER;
CREATE INDEX leads_owner ON leads(owner_id, score DESC, id DESC) WHERE owner_id IS NOT NULL;

CREATE TABLE users (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    email      TEXT NOT NULL UNIQUE,
    role       TEXT NOT NULL,
    language   TEXT NOT NULL DEFAULT 'es',
    timezone   TEXT NOT NULL DEFAULT '',
    active     INTEGER NOT NULL DEFAULT 1,
    away_from  INTEGER,
    away_until INTEGER,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
ALTER TABLE tokens ADD COLUMN user_id INTEGER REFERENCES users(id);

CREATE TABLE teams (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL UNIQUE,
    label      TEXT NOT NULL DEFAULT '',
    calendar   TEXT NOT NULL DEFAULT '',
    manager_id INTEGER REFERENCES users(id),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);

CREATE TABLE team_members (
    team_id        INTEGER NOT NULL REFERENCES teams(id),
    user_id        INTEGER NOT NULL REFERENCES users(id),
    weight         REAL NOT NULL DEFAULT 1,
    daily_capacity INTEGER NOT NULL DEFAULT 0,
    credit         REAL NOT NULL DEFAULT 0,
    PRIMARY KEY (team_id, user_id)
);

CREATE TABLE assignments (
    id         INTEGER PRIMARY KEY,
    lead_id    INTEGER NOT NULL REFERENCES leads(id),
    team       TEXT NOT NULL,
    user_id    INTEGER REFERENCES users(id),
    at         INTEGER NOT NULL,
    actor      TEXT NOT NULL,
    reason     TEXT NOT NULL,
    status     TEXT NOT NULL,
    ended_at   INTEGER,
    end_reason TEXT
);
CREATE INDEX assignments_lead ON assignments(lead_id, id);
CREATE INDEX assignments_user ON assignments(user_id, at);

CREATE TABLE clocks (
    id            INTEGER PRIMARY KEY,
    lead_id       INTEGER NOT NULL REFERENCES leads(id),
    assignment_id INTEGER NOT NULL REFERENCES assignments(id),
    team          TEXT NOT NULL,
    user_id       INTEGER,
    policy        TEXT NOT NULL,
    calendar      TEXT NOT NULL,
    started_at    INTEGER NOT NULL,
    due_at        INTEGER NOT NULL,
    grace         TEXT NOT NULL DEFAULT '',
    reassign      INTEGER NOT NULL DEFAULT 0,
    status        TEXT NOT NULL,
    paused_at     INTEGER,
    pause_reason  TEXT NOT NULL DEFAULT '',
    touched_at    INTEGER,
    breached_at   INTEGER,
    escalated_at  INTEGER,
    definition_id INTEGER
);
CREATE INDEX clocks_lead ON clocks(lead_id, id);
CREATE INDEX clocks_started ON clocks(started_at);

CREATE TABLE touches (
    id          INTEGER PRIMARY KEY,
    lead_id     INTEGER NOT NULL REFERENCES leads(id),
    user_id     INTEGER REFERENCES users(id),
    kind        TEXT NOT NULL,
    outcome     TEXT NOT NULL,
    note        TEXT NOT NULL DEFAULT '',
    at          INTEGER NOT NULL,
    recorded_at INTEGER NOT NULL
);
CREATE INDEX touches_lead ON touches(lead_id, at);

CREATE TABLE rejections (
    id            INTEGER PRIMARY KEY,
    lead_id       INTEGER NOT NULL REFERENCES leads(id),
    user_id       INTEGER REFERENCES users(id),
    team          TEXT NOT NULL,
    reason        TEXT NOT NULL,
    text          TEXT NOT NULL DEFAULT '',
    to_stage      TEXT NOT NULL,
    definition_id INTEGER,
    at            INTEGER NOT NULL
);
CREATE INDEX rejections_at ON rejections(at);

-- Deadlines and re-contacts as rows; a poller claims the due ones. One
-- pending timer of a kind per lead and reference (a clock for SLA timers).
-- lead_id has no foreign key: a timer may outlive a lead merged away, and
-- its handler then finds nothing to do.
CREATE TABLE timers (
    id         INTEGER PRIMARY KEY,
    lead_id    INTEGER NOT NULL,
    kind       TEXT NOT NULL,
    ref        INTEGER NOT NULL DEFAULT 0,
    due_at     INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    fired_at   INTEGER,
    outcome    TEXT NOT NULL DEFAULT '',
    attempts   INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX timers_due ON timers(due_at) WHERE fired_at IS NULL;
CREATE UNIQUE INDEX timers_pending ON timers(lead_id, kind, ref) WHERE fired_at IS NULL;
