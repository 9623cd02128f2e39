-- PostgreSQL's 065 adds its leads_by_id, which SQLite has had since 064.
-- Kept in step.
SELECT 1;
