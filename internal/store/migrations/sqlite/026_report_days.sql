-- Reports answer from daily segments: report_days holds, per UTC day, the
-- report rows of the leads whose inquiry was that day (kind 'c', the
-- cohort view) and of the leads that entered a stage that day (kind 'f',
-- the flow view), packed into one value. A year's report reads 365
-- values instead of a million rows. The refresher keeps them exactly in
-- step with report_leads, in the same transaction.
--
-- The lead-side dimensions (country, team, owner, band, score and the
-- evaluating definition) are kept on the row too; report_dirty tells the
-- refresher which leads changed them without a timeline entry (a
-- re-evaluation, a reassignment, a merge, a deletion).
ALTER TABLE report_leads DROP COLUMN month;
ALTER TABLE report_leads DROP COLUMN week;
ALTER TABLE report_leads ADD COLUMN country TEXT NOT NULL DEFAULT '';
ALTER TABLE report_leads ADD COLUMN team TEXT NOT NULL DEFAULT '';
ALTER TABLE report_leads ADD COLUMN owner TEXT NOT NULL DEFAULT '';
ALTER TABLE report_leads ADD COLUMN band TEXT NOT NULL DEFAULT '';
ALTER TABLE report_leads ADD COLUMN score REAL NOT NULL DEFAULT 0;
ALTER TABLE report_leads ADD COLUMN definition_id INTEGER NOT NULL DEFAULT 0;

CREATE TABLE report_days (
    kind  TEXT NOT NULL,
    day   INTEGER NOT NULL,
    leads INTEGER NOT NULL,
    data  BLOB NOT NULL,
    PRIMARY KEY (kind, day)
) WITHOUT ROWID;

CREATE TABLE report_dirty (
    id      INTEGER PRIMARY KEY,
    lead_id INTEGER NOT NULL
);

CREATE TRIGGER leads_report_dirty AFTER UPDATE OF band, score, team, owner, country, definition_id, merged_into ON leads
WHEN OLD.band IS NOT NEW.band OR OLD.score IS NOT NEW.score OR OLD.team IS NOT NEW.team OR OLD.owner IS NOT NEW.owner
  OR OLD.country IS NOT NEW.country OR OLD.definition_id IS NOT NEW.definition_id OR OLD.merged_into IS NOT NEW.merged_into
BEGIN INSERT INTO report_dirty (lead_id) VALUES (NEW.id); END;

CREATE TRIGGER leads_report_deleted AFTER DELETE ON leads
BEGIN INSERT INTO report_dirty (lead_id) VALUES (OLD.id); END;

-- The organisation's settings (its time zone, for reports' days, weeks and months).
CREATE TABLE settings (
    name       TEXT PRIMARY KEY,
    value      TEXT NOT NULL,
    updated_at INTEGER NOT NULL
);

-- Rebuild every report row and the days from the timeline.
DELETE FROM report_leads;
UPDATE report_state SET value = 0 WHERE name = 'timeline_id';
