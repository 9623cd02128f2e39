-- PostgreSQL leaves room on each page of leads for their updates
-- (postgres/072); SQLite has no such setting. The migration keeps both
-- schemas at the same version.
SELECT 1;
