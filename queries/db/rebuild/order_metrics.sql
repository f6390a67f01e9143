-- One $year of the rebuilt dashboard_metrics in refresh_dashboard_metrics's order (year DESC, then these): one year
-- sorted at a time stays inside the writer's bound where the whole table did not (as a merge inserts,
-- queries/db/changes/merge_insert_dashboard_metrics.sql).
INSERT INTO ordered_dashboard_metrics
FROM temp.dashboard_metrics
WHERE year IS NOT DISTINCT FROM $year
ORDER BY department_key, report_kind, project_name NULLS FIRST, metric, subject NULLS FIRST
