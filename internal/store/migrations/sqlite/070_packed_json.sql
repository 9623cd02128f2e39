-- From this version on, a lead's data and evaluation are stored packed
-- (internal/jsonpack: JSON whose keys and booleans are control bytes);
-- rows stored before stay plain JSON and read as before. Nothing to
-- change in the schema: this migration is the mark that makes an older
-- Pista, which cannot read packed rows, refuse the database ("schema is
-- newer than this version") instead of failing on its leads.
SELECT 1;
