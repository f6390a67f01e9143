-- Parquet export: every number with its provenance (view v_metrics), partitioned by year.
SELECT * FROM v_metrics ORDER BY year, department_key, report_id, metric, subject
