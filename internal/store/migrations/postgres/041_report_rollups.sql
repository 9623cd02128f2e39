-- Report rollups per day and dimension: see the SQLite file of this number.
CREATE TABLE report_rollups (
    kind TEXT NOT NULL,
    day  BIGINT NOT NULL,
    dim  TEXT NOT NULL,
    tz   TEXT NOT NULL,
    sums BYTEA NOT NULL,
    PRIMARY KEY (kind, dim, day)
);
