-- A merge (in the private copy of the bulk file): the changes file's dashboard_reports rows, which replace the bulk
-- file's, in the rebuild's order (refresh_dashboard_reports).
INSERT INTO dashboard_reports BY NAME
SELECT * FROM changes.dashboard_reports
ORDER BY year DESC, department_key, report_kind, project_name NULLS FIRST
