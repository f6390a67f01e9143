-- The latest year of each metric a brief summarises, per kind, among the primary reports inside the filters (the first
-- $max_units departments by key; NULL: all): a brief whose years are not chosen has a page per metric of that year,
-- compared with the year before, so it fetches its numbers from the earliest of these less one (export/brief.py).
SELECT report_kind, metric, max(year) AS year
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
GROUP BY report_kind, metric
ORDER BY report_kind, metric
