-- Whether a department already has a primary report of this kind for this year.
SELECT count(*) AS n FROM reports
WHERE department_key = $department_key AND year = $year AND report_kind = $report_kind
  AND coalesce(project_name, '') = coalesce($project_name, '') AND is_primary
