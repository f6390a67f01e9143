-- The numbers a brief summarises, of the primary reports inside the filters (the first $max_units
-- departments by key; NULL: all), with the marks a summary needs (derived, partial period, project
-- scope), the report they came from, and which satisfaction subject stands for a report (headline). Not the source
-- sentences: a brief names its reports, not its sentences, and reading them was most of this query's time. A brief of
-- every year reads from its metrics' earliest latest year less one (brief.latest_years), not ten years of numbers.
SELECT report_id, department_key, department, year, report_kind, project_name, metric, subject, value,
       derived, period_start, period_end, unit, headline, document_type
FROM dashboard_metrics
WHERE metric IN (SELECT metric FROM metric_catalogue WHERE brief)
  -- scoped_reports's filters, on the number's own copy of its report's columns (a join with 30,000 reports was
  -- most of the time); the first $max_units departments through the macro
  AND is_primary AND department_key IS NOT NULL
  AND ($province IS NULL OR province = $province) AND ($city IS NULL OR city = $city)
  AND ($departments IS NULL OR list_contains($departments, department_key))
  AND ($kind IS NULL OR report_kind = $kind)
  AND ($max_units IS NULL
       OR department_key IN (SELECT department_key
                             FROM scoped_reports($province, $city, $departments, $year_from, $year_to, $kind, $max_units)))
  AND ($year_from IS NULL OR year >= $year_from) AND ($year_to IS NULL OR year <= $year_to)
ORDER BY department_key, year, metric, subject
