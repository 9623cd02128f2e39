-- The web app at a million leads (issue 14). A rep's list newest or
-- oldest first read every lead the rep holds to sort them by creation time
-- (leads_owner is in score order): leads_owner_created holds them in that
-- order. A rep's queue (store.QueuePage) filters the leads they hold by
-- stage and band: leads_owner now holds those columns, so the queue and the
-- rep's filtered list read the index, not each lead (kilobytes, whose later
-- columns SQLite reads through overflow pages). leads_by_id holds, by ID,
-- what a list sorts and filters by most, for the lists that find their
-- leads by ID elsewhere first: the team queue (from assignments) and a
-- search (from the trigram index's matches).
CREATE INDEX leads_owner_created ON leads(owner_id, created_at, id) WHERE merged_into IS NULL AND owner_id IS NOT NULL;
DROP INDEX leads_owner;
CREATE INDEX leads_owner ON leads(owner_id, score DESC, id DESC, stage, band, merged_into) WHERE owner_id IS NOT NULL;
CREATE INDEX leads_by_id ON leads(id, merged_into, owner_id, team, stage, band, score, created_at);
