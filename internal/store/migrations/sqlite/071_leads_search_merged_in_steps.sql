-- The trigram index (leads_search) no longer merges its segments by
-- itself (automerge 0): FTS5 did it inside the transaction that wrote
-- the sixteenth segment of a level, all at once, and under a server's
-- single requests that transaction was intake's. Merging sixteen segments
-- of 1,000 leads took 188 ms while every inquiry waited, and each level
-- above takes sixteen times longer (about 3 s at 256,000 leads). Now whoever
-- indexes merges: pista serve in small background steps between intake's
-- commits (DB.RunSearchIndex), the other commands at the commit that
-- indexes (Tx.indexNewLeads), sixteen segments at a time as before
-- (usermerge 16, migration 067). crisismerge 64: FTS5 still merges a
-- level at once if it reaches 64 segments, which the steps keep it from.
INSERT INTO leads_search (leads_search, rank) VALUES ('automerge', 0);
INSERT INTO leads_search (leads_search, rank) VALUES ('usermerge', 16);
INSERT INTO leads_search (leads_search, rank) VALUES ('crisismerge', 64);
