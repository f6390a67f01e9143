-- Make one report the primary of its department, year, kind and project; the others stay, not primary.
UPDATE reports SET is_primary = (report_id = $report_id)
WHERE (department_key, year, report_kind, coalesce(project_name, '')) IN (
    SELECT (department_key, year, report_kind, coalesce(project_name, ''))
    FROM reports WHERE report_id = $report_id)
RETURNING report_id, is_primary
