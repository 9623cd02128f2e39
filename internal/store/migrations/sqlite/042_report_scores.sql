-- The bands report's score deciles over long periods: each cohort day's
-- rollups gain one more, dim 'scores' (per definition: leads and stages
-- reached by band, and a histogram of scores with the stages reached, in
-- buckets of 1/256 of a power of two). A report sums the histograms, and
-- only the leads of the at most nine buckets a decile boundary falls in
-- are read one by one, from this index alone: by score, with what they
-- need (the definition, the stages reached and, as the table's key, the
-- inquiry and the lead). The cohort rollups are summed again, with it.
CREATE INDEX report_leads_score ON report_leads(score, definition_id, mql_at, sal_at, sql_at, opportunity_at, won_at);
DELETE FROM report_rollups WHERE kind = 'c';
