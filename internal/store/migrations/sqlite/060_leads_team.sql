-- The web app's leads list with a million leads: a rep's and a manager's
-- list is read team by team (store.LeadScope.branches), and a manager
-- filters by team. leads_team keeps each team's leads in the list's order;
-- without it such a page walked the whole list's index, reading most of
-- the table when the team is small. It also holds what the list filters a
-- team's leads by (owner, stage, band, search text), so that a filter
-- matching few of them reads this index alone, not a kilobytes-long lead
-- per entry (store.SearchLeads asks for IDs first, see scopedSelect).
CREATE INDEX leads_team ON leads(team, score DESC, id DESC, owner_id, stage, band, merged_into, search);
