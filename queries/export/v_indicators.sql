-- Parquet export: indicator-table rows (view v_indicators) with their report's year, to partition by.
SELECT r.year, i.*
FROM v_indicators i
JOIN v_reports r USING (report_id)
ORDER BY r.year, i.report_id, i.ord
