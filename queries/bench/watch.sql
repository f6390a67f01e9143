-- What the write-latency benchmark's reader polls: the values of one report's number ($metric, $subject),
-- or of any of its numbers when $metric is NULL (an uploaded report appearing).
SELECT value FROM dashboard_metrics
WHERE report_id = $report_id
  AND ($metric IS NULL OR (metric = $metric AND coalesce(subject, '') = coalesce($subject, '')))
