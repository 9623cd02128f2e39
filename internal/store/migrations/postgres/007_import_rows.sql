-- Imported rows are remembered under the lead they went to (see
-- store.ImportedRow): a new lead's rows go at the end of this index, where
-- keys of their own went to a random place of the idempotency index.
CREATE TABLE import_rows (
    lead_id    BIGINT NOT NULL,
    key        TEXT NOT NULL,
    status     BIGINT NOT NULL,
    body       BYTEA NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (lead_id, key)
);

INSERT INTO import_rows (lead_id, key, status, body, created_at)
SELECT (convert_from(body, 'UTF8')::json->>'lead_id')::bigint, key, status, body, created_at
FROM idempotency
WHERE token_id = -1 AND convert_from(body, 'UTF8')::json->>'lead_id' IS NOT NULL;

DELETE FROM idempotency WHERE token_id = -1;
