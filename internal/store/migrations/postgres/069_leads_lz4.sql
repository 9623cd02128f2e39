-- A lead's row is 2 to 3 KB (its data and evaluation JSON), over
-- PostgreSQL's 2 KB threshold, so every insert and update compresses
-- them: with the default pglz that was 6 % of PostgreSQL's processor time
-- during batch intake (perf, 2 cores). lz4 compresses several times
-- faster to about the same size. New values use it; stored ones keep
-- pglz, and both read the same. A server built without lz4 (or older than
-- PostgreSQL 14) keeps pglz: the block notes it and goes on.
DO $$ BEGIN EXECUTE 'ALTER TABLE leads ALTER COLUMN data SET COMPRESSION lz4, ALTER COLUMN evaluation SET COMPRESSION lz4'; EXCEPTION WHEN OTHERS THEN RAISE NOTICE 'leads keep pglz compression: %', SQLERRM; END $$;
