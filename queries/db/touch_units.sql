-- Adds to touched_reports every report of the units (department key, kind, project) of $report_ids as
-- v_reports resolves them now, and $report_ids themselves: the rows of dashboard_metrics a write of these
-- reports can change (a row's prior-year value, primary flag and headline come from its own unit only; a
-- report without a department key has no prior, so it is its own unit). A unit's kind may be NULL (no stored
-- report lacks one: the extractor and the records always give it): dashboard_reports's latest flag groups those.
-- Its cost follows the write: DuckDB pushes the semi join's keys through v_reports's alias join into the scan
-- of reports as a filter (300,000 reports in one file: 1 of 3 row groups read besides one pass over report_id
-- for the written reports), and a report an alias moves into the unit is still found: the pushed filter only
-- skips what cannot match (tests/test_writes_scoped.py).
INSERT INTO touched_reports
SELECT r.report_id
FROM v_reports r
SEMI JOIN (SELECT department_key, report_kind, coalesce(project_name, '') AS project
           FROM v_reports
           WHERE report_id IN (SELECT unnest($report_ids)) AND department_key IS NOT NULL) u
  ON u.department_key = r.department_key AND u.report_kind IS NOT DISTINCT FROM r.report_kind
 AND u.project = coalesce(r.project_name, '')
UNION
SELECT unnest($report_ids::VARCHAR[])
