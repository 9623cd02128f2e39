-- Reports: one row per lead with what its history says for the funnel
-- (when it first reached each stage, business hours between stages,
-- rejection, recycling, the deal won), kept up to date from the timeline
-- by the report refresher. Dimensions that change without a timeline entry
-- (band, score, team, owner, country) are read from leads at query time.
-- Times are Unix milliseconds (UTC); hours are rounded to 0.1.
CREATE TABLE report_leads (
    lead_id        INTEGER PRIMARY KEY,
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
    won_currency   TEXT NOT NULL DEFAULT ''
);
CREATE INDEX report_leads_inquiry ON report_leads(inquiry_at);
CREATE INDEX report_leads_mql ON report_leads(mql_at) WHERE mql_at IS NOT NULL;

-- How far the refresher has read the timeline.
CREATE TABLE report_state (
    name  TEXT PRIMARY KEY,
    value INTEGER NOT NULL
);
INSERT INTO report_state (name, value) VALUES ('timeline_id', 0);

-- Campaign costs per month, entered by marketing: cost per won lead.
CREATE TABLE campaign_costs (
    campaign   TEXT NOT NULL,
    month      TEXT NOT NULL,
    amount     REAL NOT NULL,
    currency   TEXT NOT NULL,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (campaign, month)
);
