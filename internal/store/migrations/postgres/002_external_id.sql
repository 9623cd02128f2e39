-- A lead may be known by the identifier of the system it came from (a
-- purchased list, a CRM, an import row) when it has no e-mail or phone.
ALTER TABLE leads ADD COLUMN external_id TEXT;
CREATE UNIQUE INDEX leads_external_id ON leads(external_id) WHERE external_id IS NOT NULL;
