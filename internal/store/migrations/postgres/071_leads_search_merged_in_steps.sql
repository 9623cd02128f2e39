-- SQLite's trigram index is merged in steps from this version on
-- (sqlite/071); PostgreSQL's pg_trgm index has nothing to change. The
-- migration keeps both schemas at the same version.
SELECT 1;
