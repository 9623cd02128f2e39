-- SQLite's 062 puts the list's filter columns and the search text into
-- the list's order index. Not here: a PostgreSQL index entry is limited to
-- about 2.7 KB, and a lead's search text (names, e-mail, company) is not,
-- so a long one would refuse the lead; PostgreSQL combines indexes and
-- reads a large table in parallel instead. Kept in step with SQLite.
SELECT 1;
