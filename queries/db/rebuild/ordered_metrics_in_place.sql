-- The rebuilt, ordered table becomes dashboard_metrics (views and macros bind it by name when a query runs).
ALTER TABLE ordered_dashboard_metrics RENAME TO dashboard_metrics
