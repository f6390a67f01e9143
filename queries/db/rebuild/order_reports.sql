-- One $year of the rebuilt dashboard_reports in refresh_dashboard_reports's order.
INSERT INTO ordered_dashboard_reports
FROM temp.dashboard_reports
WHERE year IS NOT DISTINCT FROM $year
ORDER BY department_key, report_kind, project_name NULLS FIRST
