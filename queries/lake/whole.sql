-- DuckLake (lake.Dashboard.page): whether the snapshot a page reads holds only whole writes. A write that
-- stopped halfway would leave a report without its original bytes, facts or indicator rows without their
-- report, or numbers without their rows of dashboard_metrics (or the other way round). All counts are 0 then.
WITH numbered AS (SELECT DISTINCT report_id FROM v_metrics),
     shown AS (SELECT DISTINCT report_id FROM dashboard_metrics)
SELECT (SELECT count(*) FROM reports) AS reports,
       (SELECT count(*) FROM reports r ANTI JOIN raw_files f ON f.sha256 = r.sha256) AS reports_without_bytes,
       (SELECT count(*) FROM facts f ANTI JOIN reports r ON r.report_id = f.report_id) AS facts_without_report,
       (SELECT count(*) FROM indicators i ANTI JOIN reports r ON r.report_id = i.report_id) AS indicators_without_report,
       (SELECT count(*) FROM numbered n ANTI JOIN shown s ON s.report_id = n.report_id) AS numbers_not_on_dashboard,
       (SELECT count(*) FROM shown s ANTI JOIN numbered n ON n.report_id = s.report_id) AS dashboard_rows_without_numbers
