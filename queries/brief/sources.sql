-- The reports behind a brief: file, department, year, kind, grade.
SELECT source_file, department, year, report_kind, score_grade
FROM v_reports
WHERE is_primary
  AND ($province IS NULL OR province = $province)
  AND ($city IS NULL OR city = $city)
  AND ($district IS NULL OR district = $district)
  AND ($department_key IS NULL OR department_key = $department_key)
  AND year BETWEEN coalesce($year_from, 0) AND coalesce($year_to, 9999)
  AND ($kind IS NULL OR report_kind = $kind)
ORDER BY department, year
