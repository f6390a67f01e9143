-- Storage prototype: a number of a report to correct (its first headline metric).
SELECT metric, subject, value FROM dashboard_metrics
WHERE report_id = $report_id AND headline ORDER BY metric LIMIT 1
