-- The web app's leads list with a million leads: a rep's and a manager's
-- list is read team by team (store.LeadScope.branches), and a manager
-- filters by team. leads_team keeps each team's live leads in the list's
-- order; without it such a page walked the whole list's index, reading
-- most of the table when the team is small.
CREATE INDEX leads_team ON leads(team, score DESC, id DESC) WHERE merged_into IS NULL;
