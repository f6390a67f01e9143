-- Storage prototype: what a reader polls for: a report's value of $metric (any metric when NULL).
SELECT any_value(value) FILTER (WHERE $metric IS NULL OR metric = $metric)
FROM dashboard_metrics WHERE report_id = $report_id
