-- Long report periods sum rollups instead of reading every report row:
-- report_rollups holds, per kind of segment (cohort or flow), UTC day and
-- report dimension ('' for none), the sums of that day's rows per value
-- of the dimension (counts by stage, hours as histograms of tenths, won
-- amounts, rejections and recycling), packed in one value. Month and week
-- are in the organisation's time zone, named in tz. A change to a day's
-- segments deletes that day's rollups in the same transaction; the
-- background refresh sums the day again from its segments.
CREATE TABLE report_rollups (
    kind TEXT NOT NULL,
    day  INTEGER NOT NULL,
    dim  TEXT NOT NULL,
    tz   TEXT NOT NULL,
    sums BLOB NOT NULL,
    PRIMARY KEY (kind, dim, day)
);
