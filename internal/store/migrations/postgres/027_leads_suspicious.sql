-- A lead created or last fed by a public web-form submission that looked
-- like spam keeps the reasons here (a JSON array) and is held out of
-- sales' queues until a person routes it or a clean inquiry arrives;
-- NULL for every other lead. The partial index keeps the leads list's
-- "suspicious" filter cheap: it holds only the few marked leads.
ALTER TABLE leads ADD COLUMN suspicious TEXT;
CREATE INDEX leads_suspicious ON leads (id) WHERE suspicious IS NOT NULL;
