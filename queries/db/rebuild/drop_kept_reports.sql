-- The kept dashboard_reports, once rebuilt (and compared).
DROP TABLE IF EXISTS dashboard_reports
