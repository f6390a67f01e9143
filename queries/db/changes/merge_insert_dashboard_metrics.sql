-- A merge (in the private copy of the bulk file): the changes file's dashboard_metrics rows of one $year, which
-- replace the bulk file's; db.merge_changes runs it for every year, newest first (merge_metric_years), each year
-- in the rebuild's order (refresh_dashboard_metrics), so that scans by year still read few row groups. One
-- year at a time: sorting all of them at once ran out of a 96 MB bound at 300,000 reports (BENCHMARKS.md).
INSERT INTO dashboard_metrics BY NAME
SELECT * FROM changes.dashboard_metrics
WHERE year IS NOT DISTINCT FROM $year
ORDER BY department_key, report_kind, project_name NULLS FIRST, metric, subject NULLS FIRST
