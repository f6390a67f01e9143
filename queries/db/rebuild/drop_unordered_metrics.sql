-- The batches' dashboard_metrics, once copied in order (order_metrics); ordered_metrics_in_place takes its name.
DROP TABLE dashboard_metrics
