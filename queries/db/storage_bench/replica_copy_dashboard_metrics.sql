-- Storage prototype (a dashboard's local replica of the lake, perfboard/bench_storage.py): dashboard_metrics as
-- of the snapshot attached, with DuckLake's stable row id (row lineage) to apply later changes by; in the
-- order queries/db/refresh_dashboard_metrics.sql stores it (its zone maps serve the pages' filters).
CREATE OR REPLACE TABLE main.dashboard_metrics AS SELECT rowid AS lake_rowid, * FROM lake.dashboard_metrics
ORDER BY year DESC, department_key, report_kind, project_name NULLS FIRST, metric, subject NULLS FIRST
