-- One real report and department to bind where a benchmarked query needs an id.
SELECT report_id, department_key FROM v_reports ORDER BY report_id LIMIT 1
