-- A compared rebuild is done with the kept dashboard_reports (keep_reports).
DROP TABLE IF EXISTS kept_dashboard_reports
