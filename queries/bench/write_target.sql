-- A number for the write-latency benchmark to correct: a headline row part-way into dashboard_metrics.
SELECT report_id, metric, subject, value FROM dashboard_metrics WHERE headline
ORDER BY report_id, metric LIMIT 1 OFFSET 1000
