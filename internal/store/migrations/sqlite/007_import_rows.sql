-- Imported rows are remembered under the lead they went to (see
-- store.ImportedRow): a new lead's rows go at the end of this index, where
-- keys of their own went to a random place of the idempotency index.
CREATE TABLE import_rows (
    lead_id    INTEGER NOT NULL,
    key        TEXT NOT NULL,
    status     INTEGER NOT NULL,
    body       BLOB NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (lead_id, key)
) WITHOUT ROWID;

INSERT INTO import_rows (lead_id, key, status, body, created_at)
SELECT json_extract(CAST(body AS TEXT), '$.lead_id'), key, status, body, created_at
FROM idempotency
WHERE token_id = -1 AND json_extract(CAST(body AS TEXT), '$.lead_id') IS NOT NULL;

DELETE FROM idempotency WHERE token_id = -1;
