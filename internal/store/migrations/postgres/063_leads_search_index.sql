-- SQLite's 063 indexes the search text with FTS5 trigrams. Here the same
-- is a GIN index of pg_trgm, which needs the extension: creating it takes
-- a privilege a deployment may not grant, so the index is made after the
-- migrations by store.trigramIndex, which leaves searches reading every
-- lead when it cannot (and says why). Kept in step with SQLite.
SELECT 1;
