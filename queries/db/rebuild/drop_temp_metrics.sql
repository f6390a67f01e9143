-- The batches' temporary dashboard_metrics, once written in order: the name means the database's table again.
DROP TABLE IF EXISTS temp.dashboard_metrics
