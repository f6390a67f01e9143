-- Which reports of the bulk file a write of $report_ids takes over: $report_ids themselves and every report of
-- the departments they belong to, by their stored key or by the key an alias gives them (the aliases are the
-- changes file's), as long as the changes file does not hold them yet. A whole department, not just a unit:
-- a unit is (key, kind, project) as aliases resolve it, and make_primary works on the stored key, so taking
-- the department covers both. Every report lives in one file: the reader takes its rows from the changes
-- file once it is there.
-- Only the reports near those departments are read, so its cost follows the write, not the bulk file: a
-- report resolves to one of the keys only if it is stored under it or its department is the name of an
-- alias to it (coalesce(alias's key, stored key), as v_reports resolves). The bulk file's row map (bulk_rows,
-- index_bulk) gives the rows whose id, key or name hashes to one of those; only they are read and compared.
INSERT INTO brought
WITH ids AS (SELECT unnest($report_ids::VARCHAR[]) AS report_id),
seeds AS (  -- the written reports, wherever they are now: their stored key and the key an alias gives them
    SELECT b.department_key, coalesce(a.department_key, b.department_key) AS key_resolved
    FROM base.reports b LEFT JOIN department_aliases a ON a.alias = b.department
    WHERE b.rowid IN (SELECT report_row FROM base.bulk_rows WHERE id_h IN (SELECT hash(report_id) FROM ids))
      AND b.report_id IN (SELECT report_id FROM ids)
    UNION ALL
    SELECT r.department_key, coalesce(a.department_key, r.department_key)
    FROM reports r LEFT JOIN department_aliases a ON a.alias = r.department
    WHERE r.report_id IN (SELECT report_id FROM ids)
),
keys AS (
    SELECT department_key FROM seeds WHERE department_key IS NOT NULL
    UNION SELECT key_resolved FROM seeds WHERE key_resolved IS NOT NULL
),
named AS (SELECT alias AS department FROM department_aliases SEMI JOIN keys USING (department_key)),
candidates AS (  -- rows of base.reports that may match: a hash is a hint, near compares the values
    SELECT report_row FROM base.bulk_rows SEMI JOIN (SELECT hash(department_key) AS h FROM keys) k ON key_h = k.h
    UNION ALL SELECT report_row FROM base.bulk_rows SEMI JOIN (SELECT hash(department) AS h FROM named) n ON name_h = n.h
    UNION ALL SELECT report_row FROM base.bulk_rows SEMI JOIN (SELECT hash(report_id) AS h FROM ids) i ON id_h = i.h
),
near AS (
    SELECT report_id FROM base.reports
    WHERE rowid IN (SELECT report_row FROM candidates)
      AND (report_id IN (SELECT report_id FROM ids) OR department_key IN (SELECT department_key FROM keys)
           OR department IN (SELECT department FROM named))
)
SELECT report_id FROM near
WHERE report_id NOT IN (SELECT report_id FROM reports)
