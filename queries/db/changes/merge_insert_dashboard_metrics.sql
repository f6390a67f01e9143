-- A merge (in the private copy of the bulk file): the changes file's dashboard_metrics rows, which replace the
-- bulk file's, in the rebuild's order (refresh_dashboard_metrics) so that scans by year still read few row groups.
INSERT INTO dashboard_metrics BY NAME
SELECT * FROM changes.dashboard_metrics
ORDER BY year DESC, department_key, report_kind, project_name NULLS FIRST, metric, subject NULLS FIRST
