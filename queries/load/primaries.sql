-- Department, year, kind and project of every primary report: a second report for one of them is not primary.
SELECT DISTINCT department_key, year, report_kind, coalesce(project_name, '') FROM reports WHERE is_primary
