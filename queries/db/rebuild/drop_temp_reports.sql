-- The batches' temporary dashboard_reports, once written in order.
DROP TABLE IF EXISTS temp.dashboard_reports
