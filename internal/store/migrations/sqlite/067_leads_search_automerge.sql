-- The trigram index (leads_search, migration 063) merges its segments
-- 16 at a time instead of FTS5's default 4: every inquiry's search text
-- is written once to a small segment and then copied at every merge level
-- above it, so fewer, wider merges copy it fewer times. Measured on a
-- million-row pista import (2 cores): 85 s instead of 102 s, with the
-- same search times (docs/PERFORMANCE.md). The setting is kept in the
-- index's own configuration (leads_search_config).
INSERT INTO leads_search (leads_search, rank) VALUES ('automerge', 16);
