-- report_leads stored in inquiry order: a cohort's rows are then read in
-- one sweep of the table instead of one lookup per row through an index
-- (a month of a million leads: 83,000 lookups). The rows are rebuilt from
-- the timeline by the refresher.
DROP TABLE report_leads;
CREATE TABLE report_leads (
    lead_id        INTEGER NOT NULL,
    inquiry_at     INTEGER NOT NULL,
    month          TEXT NOT NULL,
    week           TEXT NOT NULL,
    source         TEXT NOT NULL DEFAULT '',
    campaign       TEXT NOT NULL DEFAULT '',
    form           TEXT NOT NULL DEFAULT '',
    version        TEXT NOT NULL DEFAULT '',
    mql_at         INTEGER,
    sal_at         INTEGER,
    sql_at         INTEGER,
    opportunity_at INTEGER,
    won_at         INTEGER,
    h_mql          REAL,
    h_sal          REAL,
    h_sql          REAL,
    h_opportunity  REAL,
    h_won          REAL,
    rejected       TEXT NOT NULL DEFAULT '',
    recycled       INTEGER NOT NULL DEFAULT 0,
    came_back      INTEGER NOT NULL DEFAULT 0,
    converted      INTEGER NOT NULL DEFAULT 0,
    won_amount     REAL NOT NULL DEFAULT 0,
    won_currency   TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (inquiry_at, lead_id)
) WITHOUT ROWID;
CREATE UNIQUE INDEX report_leads_lead ON report_leads(lead_id);
CREATE INDEX report_leads_mql ON report_leads(mql_at) WHERE mql_at IS NOT NULL;
UPDATE report_state SET value = 0 WHERE name = 'timeline_id';
