-- SQLite's 068 moves new leads into its trigram index (FTS5) at the end
-- of their transaction; PostgreSQL's GIN index needs nothing. Kept in step.
SELECT 1;
