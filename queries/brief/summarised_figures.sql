-- The numbers a brief summarises, of the primary reports inside the filters (the first $max_units
-- departments by key; NULL: all), with the marks a summary needs (derived, partial period, project
-- scope), the report they came from, and which satisfaction subject stands for a report (headline).
SELECT report_id, department_key, department, year, report_kind, project_name, metric, subject, value,
       derived, period_start, period_end, source_snippet, unit, headline, document_type
FROM dashboard_metrics
WHERE metric IN (SELECT metric FROM metric_catalogue WHERE brief)
  AND report_id IN (SELECT report_id
                    FROM scoped_reports($province, $city, $departments, $year_from, $year_to, $kind, $max_units))
ORDER BY department_key, year, metric, subject
