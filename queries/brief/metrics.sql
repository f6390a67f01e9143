-- Every number of the primary reports inside the filters, with the marks a summary needs
-- (derived, partial period, project scope) and its source.
SELECT department_key, department, year, report_kind, metric, subject, value, derived,
       period_start, period_end, source_snippet, unit
FROM v_metrics
WHERE is_primary
  AND ($province IS NULL OR province = $province)
  AND ($city IS NULL OR city = $city)
  AND ($departments IS NULL OR list_contains($departments, department_key))
  AND ($year_from IS NULL OR year >= $year_from)
  AND ($year_to IS NULL OR year <= $year_to)
  AND ($kind IS NULL OR report_kind = $kind)
ORDER BY department_key, year, metric, subject
