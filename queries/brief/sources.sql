-- The reports behind a brief (and behind exported charts): file, department, year, kind, grade; the
-- first $max_units departments by key, like the charts (NULL: all).
SELECT source_file, department, year, report_kind, score_grade
FROM scoped_reports($province, $city, $departments, $year_from, $year_to, $kind, $max_units)
ORDER BY department, year
