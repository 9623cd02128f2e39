-- Report segments span 8,192 lead IDs and get a version: see the SQLite
-- file of this number.
DELETE FROM report_rollups;
DELETE FROM report_segments;
ALTER TABLE report_segments ADD COLUMN version BIGINT NOT NULL DEFAULT 0;
