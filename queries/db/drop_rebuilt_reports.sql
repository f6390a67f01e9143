-- Drops the temporary full rebuild of dashboard_reports once db.metrics_drift has compared it.
DROP TABLE IF EXISTS temp.rebuilt_reports
