-- Parquet export: every report (view v_reports), partitioned by year.
SELECT * FROM v_reports ORDER BY year, department_key, report_id
