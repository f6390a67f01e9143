-- The reports rows of the reports taken over from the bulk file (brought): copied into the changes file as
-- they are; the write that follows changes them there.
-- Found by their row ids first: the scan then reads only report_id, and every other column only of the
-- row groups that hold these rows (a publish of 100 into departments of the 300,000-report bulk file:
-- 102 -> 13 CPU ms, BENCHMARKS.md 2026-12-03).
INSERT INTO reports BY NAME
SELECT * FROM base.reports
WHERE rowid IN (SELECT rowid FROM base.reports SEMI JOIN brought USING (report_id))
