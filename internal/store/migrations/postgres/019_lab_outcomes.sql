-- Outcomes imported for the definition lab (pista lab outcomes,
-- POST /api/v1/outcomes): what happened to a lead outside the waterfall,
-- e.g. a deal won in the CRM or a "converted" column of a spreadsheet.
-- The key makes importing the same file again add nothing.
CREATE TABLE lab_outcomes (
    lead_id    BIGINT NOT NULL REFERENCES leads(id),
    outcome    TEXT NOT NULL,
    at         BIGINT NOT NULL,
    amount     DOUBLE PRECISION NOT NULL DEFAULT 0,
    currency   TEXT NOT NULL DEFAULT '',
    source     TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL,
    PRIMARY KEY (lead_id, outcome, at)
);
