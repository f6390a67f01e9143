-- The batches' dashboard_reports, once copied in order (order_reports).
DROP TABLE dashboard_reports
