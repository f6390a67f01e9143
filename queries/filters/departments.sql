-- Departments with a primary report inside the filters: their first and last year and how many reports.
SELECT department_key,
       min(year)                                   AS first_year,
       max(year)                                   AS last_year,
       count(*)                                    AS reports,
       bool_or(report_kind = 'project')            AS has_project
FROM v_reports
WHERE is_primary AND department_key IS NOT NULL
  AND ($province IS NULL OR province = $province)
  AND ($city IS NULL OR city = $city)
  AND ($departments IS NULL OR list_contains($departments, department_key))
  AND ($year_from IS NULL OR year >= $year_from)
  AND ($year_to IS NULL OR year <= $year_to)
  AND ($kind IS NULL OR report_kind = $kind)
GROUP BY department_key
ORDER BY department_key
