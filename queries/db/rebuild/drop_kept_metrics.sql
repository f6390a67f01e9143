-- The kept dashboard_metrics (none in a new database), once rebuilt (and compared: diff_kept); the ordered copy takes
-- its name (ordered_metrics_in_place).
DROP TABLE IF EXISTS dashboard_metrics
