-- DuckLake (writes.make_primary): make one report the primary of its department, year, kind and project; the
-- others stay, not primary (review.make_primary without RETURNING).
UPDATE reports SET is_primary = (report_id = $report_id)
WHERE (department_key, year, report_kind, coalesce(project_name, '')) IN (
    SELECT (department_key, year, report_kind, coalesce(project_name, ''))
    FROM reports WHERE report_id = $report_id)
