-- Which reports of the bulk file a write of $report_ids takes over: $report_ids themselves and every report of
-- the departments they belong to, by their stored key or by the key an alias gives them (the aliases are the
-- changes file's), as long as the changes file does not hold them yet. A whole department, not just a unit:
-- a unit is (key, kind, project) as aliases resolve it, and make_primary works on the stored key, so taking
-- the department covers both. Every report lives in one file: the reader takes its rows from the changes
-- file once it is there.
INSERT INTO brought
WITH resolved AS (
    SELECT b.report_id, b.department_key, coalesce(a.department_key, b.department_key) AS key_resolved
    FROM base.reports b LEFT JOIN department_aliases a ON a.alias = b.department
),
seeds AS (
    SELECT department_key, key_resolved FROM resolved WHERE report_id IN (SELECT unnest($report_ids::VARCHAR[]))
    UNION ALL
    SELECT r.department_key, coalesce(a.department_key, r.department_key)
    FROM reports r LEFT JOIN department_aliases a ON a.alias = r.department
    WHERE r.report_id IN (SELECT unnest($report_ids::VARCHAR[]))
),
keys AS (
    SELECT department_key AS k FROM seeds WHERE department_key IS NOT NULL
    UNION SELECT key_resolved FROM seeds WHERE key_resolved IS NOT NULL
)
SELECT report_id FROM resolved
WHERE (report_id IN (SELECT unnest($report_ids::VARCHAR[]))
       OR department_key IN (SELECT k FROM keys) OR key_resolved IN (SELECT k FROM keys))
  AND report_id NOT IN (SELECT report_id FROM reports)
