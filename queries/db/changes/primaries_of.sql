-- Department, year, kind and project of every primary report of the bulk file, of the departments
-- $department_keys ('' for a report without a key), that the changes file does not hold (its own come from
-- load.primaries_of): a second report for one of them is not primary.
SELECT DISTINCT department_key, year, report_kind, coalesce(project_name, '')
FROM base.reports ANTI JOIN reports USING (report_id)
WHERE is_primary AND coalesce(department_key, '') IN (SELECT unnest($department_keys::VARCHAR[]))
