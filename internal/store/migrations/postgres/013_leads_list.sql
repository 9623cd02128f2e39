-- The web app's leads list sorts by creation time too (newest or oldest
-- first), with keyset paging; without an index a million leads would be
-- sorted on every page.
CREATE INDEX leads_created ON leads(created_at, id);
