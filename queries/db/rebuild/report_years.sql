-- The years of the batched rebuild's dashboard_reports, newest first, then none: order_reports writes one at a time.
SELECT DISTINCT year FROM temp.dashboard_reports ORDER BY year DESC NULLS LAST
