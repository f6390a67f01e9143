-- The full rebuild of dashboard_reports, the dashboard's stored copy of v_dashboard_reports (schema/views.sql), beside
-- dashboard_metrics's (refresh_dashboard_metrics): when a database is created or upgraded, and by `perfboard upgrade
-- --rebuild`. Every other write keeps it for the units it touched (db.update_metrics). Sorted like the reports list.
CREATE OR REPLACE TABLE dashboard_reports AS
FROM v_dashboard_reports
ORDER BY year DESC, department_key, report_kind, project_name NULLS FIRST
