-- The reports behind a brief (and behind exported charts): file, department, year, kind, grade.
SELECT source_file, department, year, report_kind, score_grade
FROM scoped_reports($province, $city, $departments, $year_from, $year_to, $kind, NULL)
ORDER BY department, year
