-- Report segments span 8,192 lead IDs instead of 65,536 (segShift in
-- report_segments.go), so a refresh decodes and encodes again an eighth
-- as many rows for a few changed leads. The old segments are deleted and
-- packed again from report_leads by the refresher after the next start,
-- two segments a transaction so intake goes on (RebuildReportSegmentsIfEmpty
-- starts it, RepackReportSegments packs), with the rollups summed from them.
-- A segment also gets a version, changed on every write, so the rollups
-- of a day can be summed outside the write transaction and saved only if
-- no segment of the day changed meanwhile (SaveReportRollups).
DELETE FROM report_rollups;
DELETE FROM report_segments;
ALTER TABLE report_segments ADD COLUMN version INTEGER NOT NULL DEFAULT 0;
