-- An inquiry's stored answer (Idempotency-Key) no longer holds a copy of
-- its lead's evaluation, most of its bytes: evals lists where evaluations
-- were cut out of body, of which leads and with which hashes, and a
-- replay splices them back from the leads. answered_leads marks the leads
-- whose current evaluation an answer showed: before a new evaluation
-- replaces it, it is kept aside in kept_evaluations for those answers.
ALTER TABLE idempotency ADD COLUMN evals TEXT;
CREATE TABLE answered_leads (
    lead_id     INTEGER PRIMARY KEY,
    answered_at INTEGER NOT NULL
);
CREATE TABLE kept_evaluations (
    lead_id    INTEGER NOT NULL,
    evaluation TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX kept_evaluations_lead ON kept_evaluations(lead_id);
