-- Pista's first schema. Times are Unix milliseconds (UTC); JSON is TEXT.
CREATE TABLE companies (
    id         INTEGER PRIMARY KEY,
    domain     TEXT NOT NULL UNIQUE,
    name       TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL
);

CREATE TABLE leads (
    id            INTEGER PRIMARY KEY,
    email         TEXT UNIQUE,
    phone         TEXT,
    company_id    INTEGER REFERENCES companies(id),
    data          TEXT NOT NULL,
    qualification TEXT,
    stage         TEXT NOT NULL,
    band          TEXT NOT NULL DEFAULT '',
    action        TEXT NOT NULL DEFAULT '',
    team          TEXT NOT NULL DEFAULT '',
    quality       TEXT NOT NULL DEFAULT '',
    score         REAL NOT NULL DEFAULT 0,
    country       TEXT NOT NULL DEFAULT '',
    source_format TEXT NOT NULL DEFAULT '',
    owner         TEXT NOT NULL DEFAULT '',
    search        TEXT NOT NULL DEFAULT '',
    evaluation    TEXT,
    definition_id INTEGER,
    merged_into   INTEGER REFERENCES leads(id),
    needs_eval    INTEGER NOT NULL DEFAULT 0,
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL
);
CREATE INDEX leads_phone ON leads(phone) WHERE phone IS NOT NULL;
CREATE INDEX leads_priority ON leads(score DESC, id DESC);
CREATE INDEX leads_stage ON leads(stage, score DESC, id DESC);
CREATE INDEX leads_company ON leads(company_id);
CREATE INDEX leads_needs_eval ON leads(id) WHERE needs_eval > 0;

CREATE TABLE events (
    id      INTEGER PRIMARY KEY,
    lead_id INTEGER REFERENCES leads(id),
    email   TEXT,
    type    TEXT NOT NULL,
    at      INTEGER NOT NULL,
    props   TEXT
);
CREATE INDEX events_lead ON events(lead_id, at);
CREATE INDEX events_anonymous ON events(email) WHERE lead_id IS NULL;

CREATE TABLE timeline (
    id      INTEGER PRIMARY KEY,
    lead_id INTEGER NOT NULL REFERENCES leads(id),
    at      INTEGER NOT NULL,
    kind    TEXT NOT NULL,
    data    TEXT NOT NULL
);
CREATE INDEX timeline_lead ON timeline(lead_id, id);

CREATE TABLE merges (
    id        INTEGER PRIMARY KEY,
    kept_id   INTEGER NOT NULL REFERENCES leads(id),
    merged_id INTEGER NOT NULL REFERENCES leads(id),
    at        INTEGER NOT NULL,
    reason    TEXT NOT NULL,
    data      TEXT NOT NULL,
    undone_at INTEGER
);

CREATE TABLE qualifications (
    id      INTEGER PRIMARY KEY,
    lead_id INTEGER NOT NULL REFERENCES leads(id),
    data    TEXT NOT NULL,
    by_whom TEXT NOT NULL,
    at      INTEGER NOT NULL
);
CREATE INDEX qualifications_lead ON qualifications(lead_id, id);

CREATE TABLE definitions (
    id           INTEGER PRIMARY KEY,
    name         TEXT NOT NULL,
    version      TEXT NOT NULL DEFAULT '',
    hash         TEXT NOT NULL,
    source       TEXT NOT NULL,
    created_at   INTEGER NOT NULL,
    activated_at INTEGER
);

CREATE TABLE reevaluations (
    id            INTEGER PRIMARY KEY,
    definition_id INTEGER NOT NULL REFERENCES definitions(id),
    total         INTEGER NOT NULL,
    done          INTEGER NOT NULL DEFAULT 0,
    started_at    INTEGER NOT NULL,
    finished_at   INTEGER,
    error         TEXT
);

CREATE TABLE tokens (
    id           INTEGER PRIMARY KEY,
    name         TEXT NOT NULL,
    role         TEXT NOT NULL,
    hash         TEXT NOT NULL UNIQUE,
    created_at   INTEGER NOT NULL,
    revoked_at   INTEGER
);

CREATE TABLE idempotency (
    token_id    INTEGER NOT NULL,
    key         TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    status      INTEGER NOT NULL,
    body        BLOB NOT NULL,
    created_at  INTEGER NOT NULL,
    PRIMARY KEY (token_id, key)
);
CREATE INDEX idempotency_age ON idempotency(created_at);

CREATE TABLE forms (
    name       TEXT PRIMARY KEY,
    config     TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
