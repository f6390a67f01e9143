-- A compared rebuild is done with the kept dashboard_metrics (keep_metrics).
DROP TABLE IF EXISTS kept_dashboard_metrics
