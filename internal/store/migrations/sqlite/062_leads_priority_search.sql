-- The list's order index now also holds what the list filters by most
-- (stage, band, owner, and the search text that searching by name, e-mail
-- or company reads with LIKE '%...%'), so that a filter matching few
-- leads, or a search for a rare text, reads this index (about 100 bytes a
-- lead) instead of every lead (kilobytes each): at a million leads tens of
-- seconds become a few. store.SearchLeads asks for IDs first, so that
-- SQLite can answer from the index (see scopedSelect).
DROP INDEX leads_priority;
CREATE INDEX leads_priority ON leads(score DESC, id DESC, stage, band, owner_id, merged_into, search);
