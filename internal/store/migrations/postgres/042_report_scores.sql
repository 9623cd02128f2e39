-- Score histograms in the cohort rollups and the index that reads the
-- leads of a decile's boundary alone: see the SQLite file of this number.
CREATE INDEX report_leads_score ON report_leads(score, inquiry_at) INCLUDE (lead_id, definition_id, mql_at, sal_at, sql_at, opportunity_at, won_at);
DELETE FROM report_rollups WHERE kind = 'c';
