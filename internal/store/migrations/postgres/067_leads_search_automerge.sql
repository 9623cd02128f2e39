-- SQLite's 067 tunes its trigram index (FTS5); PostgreSQL's trigram index
-- is a GIN index and needs nothing. Kept in step.
SELECT 1;
