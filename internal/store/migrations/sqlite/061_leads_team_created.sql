-- The leads list's newest and oldest first within a rep's or a manager's
-- teams (store.LeadScope.branches): each team's live leads by creation
-- time, so that a page stops after its fifty leads instead of sorting a
-- team's hundreds of thousands.
CREATE INDEX leads_team_created ON leads(team, created_at, id) WHERE merged_into IS NULL;
