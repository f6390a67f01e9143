-- The reports behind a brief: file, department, year, kind, grade.
SELECT source_file, department, year, report_kind, score_grade
FROM v_reports
WHERE is_primary
  AND ($province IS NULL OR province = $province)
  AND ($city IS NULL OR city = $city)
  AND ($departments IS NULL OR list_contains($departments, department_key))
  AND ($year_from IS NULL OR year >= $year_from)
  AND ($year_to IS NULL OR year <= $year_to)
  AND ($kind IS NULL OR report_kind = $kind)
ORDER BY department, year
