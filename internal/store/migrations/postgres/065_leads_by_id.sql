-- The team queue at a million leads (store.QueuePage): the leads waiting
-- in a team's queue are found from their assignments, then each is looked
-- up by ID for what the queue sorts and filters by. Reading 12,000 of them
-- from the table (1.7 GB, mostly not in shared buffers) took 100-400 ms;
-- this index holds those columns (an index-only scan, about 40 bytes a
-- lead), 30-50 ms. SQLite's leads_by_id (064) does the same there.
CREATE INDEX leads_by_id ON leads(id) INCLUDE (merged_into, stage, band, score);
