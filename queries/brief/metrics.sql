-- Every number of the primary reports inside the filters, with the marks a summary needs
-- (derived, partial period, project scope) and its source.
SELECT department_key, department, year, report_kind, metric, subject, value, derived,
       period_start, period_end, source_snippet, unit
FROM v_metrics
WHERE is_primary
  AND ($province IS NULL OR province = $province)
  AND ($city IS NULL OR city = $city)
  AND ($district IS NULL OR district = $district)
  AND ($department_key IS NULL OR department_key = $department_key)
  AND year BETWEEN coalesce($year_from, 0) AND coalesce($year_to, 9999)
  AND ($kind IS NULL OR report_kind = $kind)
ORDER BY department_key, year, metric, subject
