-- PostgreSQL's 069 compresses new lead JSON with lz4; SQLite does not
-- compress. Kept in step.
SELECT 1;
