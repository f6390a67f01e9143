-- The full rebuild of dashboard_metrics, the dashboard's stored copy of v_dashboard_metrics (schema/views.sql):
-- run when a database is created or upgraded, and by `perfboard upgrade --rebuild`. Every other write keeps
-- the table up to date for the units it touched (db.update_metrics). Sorted so that the dashboard's scans by
-- year and department read few row groups.
CREATE OR REPLACE TABLE dashboard_metrics AS
FROM v_dashboard_metrics
ORDER BY year DESC, department_key, report_kind, project_name NULLS FIRST, metric, subject NULLS FIRST
