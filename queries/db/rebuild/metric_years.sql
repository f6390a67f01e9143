-- The years of the batched rebuild's dashboard_metrics, newest first, then none: order_metrics writes one at a time.
SELECT DISTINCT year FROM temp.dashboard_metrics ORDER BY year DESC NULLS LAST
