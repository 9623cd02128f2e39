-- The web app at a million leads (issue 14). A rep's list newest or
-- oldest first read every lead the rep holds to sort them by creation time
-- (leads_owner is in score order): leads_owner_created holds them in that
-- order. A team and a stage together (a manager's or an admin's list)
-- walked the stage's index and read each of its leads to find the team's:
-- at a million leads, thousands of random reads for a rare stage
-- (won: 1.0 s p95); leads_team_stage finds the page's fifty directly.
-- SQLite's 064 also widens leads_owner and adds leads_by_id, for reads of
-- the columns after a lead's JSON; PostgreSQL keeps that JSON out of line
-- (TOAST), so its rows are read cheaply.
CREATE INDEX leads_owner_created ON leads(owner_id, created_at, id) WHERE merged_into IS NULL AND owner_id IS NOT NULL;
CREATE INDEX leads_team_stage ON leads(team, stage, score DESC, id DESC) WHERE merged_into IS NULL;
