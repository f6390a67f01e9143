-- The facts rows of the reports taken over from the bulk file (brought): copied into the changes file as
-- they are; the write that follows changes them there. Read by row id, between each report's first and last
-- facts row in the row map (bulk_rows): rows of other reports in between are left by the report_id check.
-- Before the map, by a pass over the bulk file's facts.report_id (a publish of 100 into departments of the
-- 300,000-report bulk file: 28 -> 6 writer CPU ms, BENCHMARKS.md 2026-12-04 18:51).
INSERT INTO facts BY NAME
SELECT * FROM base.facts
WHERE rowid IN (SELECT unnest(range(facts_from, facts_to + 1)) FROM base.bulk_rows
                WHERE id_h IN (SELECT hash(report_id) FROM brought))
  AND report_id IN (SELECT report_id FROM brought)
