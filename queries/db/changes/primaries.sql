-- Department, year, kind and project of every primary report of the bulk file that the changes file does not
-- hold (its own come from load.primaries): a second report for one of them is not primary.
SELECT DISTINCT department_key, year, report_kind, coalesce(project_name, '')
FROM base.reports ANTI JOIN reports USING (report_id)
WHERE is_primary
