-- Storage prototype (perfboard/bench_storage.py): every report of the units (department, kind,
-- project) of $report_ids: the rows of dashboard_metrics a write of these reports can change
-- (a unit's prior-year values and primary flags come from its own reports only).
SELECT r.report_id
FROM v_reports r
SEMI JOIN (SELECT department_key, report_kind, coalesce(project_name, '') AS project
           FROM v_reports WHERE list_contains($report_ids, report_id)) u
  ON u.department_key IS NOT DISTINCT FROM r.department_key AND u.report_kind IS NOT DISTINCT FROM r.report_kind
 AND u.project = coalesce(r.project_name, '')
UNION
SELECT unnest($report_ids)
