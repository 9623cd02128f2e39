-- Reports read segments instead of whole days: report_segments holds the
-- report rows per UTC day and per range of 65,536 lead IDs, each in three
-- values so a report reads only what it counts (keys: stages, hours,
-- dimensions, flags; ranks: scores for deciles; times: the instants, for
-- the days a period cuts in two). A change to a lead rewrites only its
-- segments. They are packed again from report_leads by the refresher when
-- the table is empty (this upgrade), so the timeline is not read again.
DROP TABLE report_days;

CREATE TABLE report_segments (
    kind  TEXT NOT NULL,
    day   INTEGER NOT NULL,
    seg   INTEGER NOT NULL,
    leads INTEGER NOT NULL,
    keys  BLOB NOT NULL,
    ranks BLOB NOT NULL,
    times BLOB NOT NULL,
    PRIMARY KEY (kind, day, seg)
) WITHOUT ROWID;

-- The follow-up report reads the clocks of a period from the index alone.
DROP INDEX clocks_started;
CREATE INDEX clocks_started_report ON clocks(started_at, id, lead_id, team, user_id, status, touched_at);
