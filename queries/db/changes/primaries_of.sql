-- Department, year, kind and project of every primary report of the bulk file, of the departments
-- $department_keys ('' for a report without a key), that the changes file does not hold (its own come from
-- load.primaries_of): a second report for one of them is not primary. Found through the row map (bulk_rows).
SELECT DISTINCT department_key, year, report_kind, coalesce(project_name, '')
FROM base.reports ANTI JOIN reports USING (report_id)
WHERE rowid IN (SELECT report_row FROM base.bulk_rows
                WHERE key_h IN (SELECT hash(unnest($department_keys::VARCHAR[]))))
  AND is_primary AND coalesce(department_key, '') IN (SELECT unnest($department_keys::VARCHAR[]))
