-- The reports behind a brief (and behind exported charts): unit, year, kind, project, grade and the
-- title block of the text (head), from which a source is named as unit · year · document; the first
-- $max_units departments by key, like the charts (NULL: all). source_file is kept for the CSV exports.
SELECT s.report_id, s.source_file, s.department, s.department_key, s.year, s.report_kind, s.project_name,
       s.score_grade, left(r.text, 400) AS head
FROM scoped_reports($province, $city, $departments, $year_from, $year_to, $kind, $max_units) s
JOIN reports r USING (report_id)
ORDER BY s.department_key, s.year, s.report_kind, s.project_name NULLS FIRST
