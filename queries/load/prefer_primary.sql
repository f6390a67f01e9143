-- The primary of a department, year, kind and project (the report every chart, card and ranking shows)
-- is its most telling document: a self-evaluation, else a 决算 (final_accounts), else a notice or bulletin
-- (other), else a 部门预算 (budget: a plan, nothing spent yet); among documents of one type the first
-- stored. Run after the new reports $report_ids are inserted: where one of them is a more telling
-- document than the primary its unit-year had, it becomes the primary and the old one stays, not primary.
-- Only the old primary and the new reports compete, so a primary an analyst chose among stored reports
-- is changed only by a newly stored, more telling document (and can be chosen again on 上传与校对).
-- Only the reports of $department_keys (the new reports' stored keys: a unit-year's primary is kept by the
-- stored key, as make_primary and load.primaries_of keep it) are read, so its cost follows the write, not the
-- database: DuckDB pushes the semi join's keys into the scan of reports, which skips the row groups holding
-- none of them (300,000 reports in one file: 29 -> 13 CPU ms for a publish of 100, BENCHMARKS.md).
WITH new_keys AS (SELECT unnest($department_keys::VARCHAR[]) AS department_key),
ranked AS (
    SELECT report_id, department_key, year, report_kind, coalesce(project_name, '') AS project, is_primary,
           -- a records row has no document type: its figures are a self-evaluation's
           CASE coalesce(document_type, 'self_evaluation') WHEN 'self_evaluation' THEN 1
                WHEN 'final_accounts' THEN 2 WHEN 'budget' THEN 4 ELSE 3 END AS telling
    FROM reports SEMI JOIN new_keys USING (department_key)
),
unit_years AS (  -- the unit-years the new reports belong to
    SELECT DISTINCT department_key, year, report_kind, project
    FROM ranked WHERE report_id IN (SELECT unnest($report_ids::VARCHAR[]))
),
candidates AS (
    SELECT r.*
    FROM ranked r
    SEMI JOIN unit_years u USING (department_key, year, report_kind, project)
    WHERE r.is_primary OR r.report_id IN (SELECT unnest($report_ids::VARCHAR[]))
),
chosen AS (
    SELECT department_key, year, report_kind, project,
           arg_min(report_id, (telling, NOT is_primary, report_id)) AS report_id
    FROM candidates
    GROUP BY ALL
)
UPDATE reports AS r SET is_primary = (r.report_id = c.report_id)
FROM chosen c
WHERE r.department_key = c.department_key AND r.year = c.year AND r.report_kind = c.report_kind
  AND coalesce(r.project_name, '') = c.project
  AND r.report_id IN (SELECT report_id FROM candidates)
  AND r.is_primary <> (r.report_id = c.report_id)
