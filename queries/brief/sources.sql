-- The reports behind a brief (and behind exported charts): unit, year, kind, project and grade; the
-- first $max_units departments by key, like the charts (NULL: all). source_file is kept for the CSV
-- exports; a brief names a report as unit · year · document (the document from brief.titles).
SELECT report_id, source_file, department, department_key, year, report_kind, project_name, score_grade, document_type
FROM scoped_reports($province, $city, $departments, $year_from, $year_to, $kind, $max_units)
ORDER BY department_key, year, report_kind, project_name NULLS FIRST
