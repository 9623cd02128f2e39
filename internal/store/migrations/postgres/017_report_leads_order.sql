-- SQLite stores report_leads in inquiry order from this version; on
-- PostgreSQL the inquiry_at index serves (a bitmap scan reads a cohort's
-- pages in order). Nothing to change here: the file keeps the two
-- dialects' migration numbers in step.
SELECT 1;
