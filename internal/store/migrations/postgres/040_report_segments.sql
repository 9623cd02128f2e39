-- Reports read segments instead of whole days: see the SQLite file of this number.
DROP TABLE report_days;

CREATE TABLE report_segments (
    kind  TEXT NOT NULL,
    day   BIGINT NOT NULL,
    seg   BIGINT NOT NULL,
    leads BIGINT NOT NULL,
    keys  BYTEA NOT NULL,
    ranks BYTEA NOT NULL,
    times BYTEA NOT NULL,
    PRIMARY KEY (kind, day, seg)
);

DROP INDEX clocks_started;
CREATE INDEX clocks_started_report ON clocks(started_at, id) INCLUDE (lead_id, team, user_id, status, touched_at);
