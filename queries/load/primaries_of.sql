-- Department, year, kind and project of every primary report of the departments $department_keys (those of
-- one publish's files; '' stands for a report without a key): a second report for one of them is not primary.
SELECT DISTINCT department_key, year, report_kind, coalesce(project_name, '') FROM reports
WHERE is_primary AND coalesce(department_key, '') IN (SELECT unnest($department_keys::VARCHAR[]))
