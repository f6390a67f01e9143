-- Which reports of the bulk file a write of $report_ids takes over: $report_ids themselves and every report of
-- the departments they belong to, by their stored key or by the key an alias gives them (the aliases are the
-- changes file's), as long as the changes file does not hold them yet. A whole department, not just a unit:
-- a unit is (key, kind, project) as aliases resolve it, and make_primary works on the stored key, so taking
-- the department covers both. Every report lives in one file: the reader takes its rows from the changes
-- file once it is there.
-- Only the reports near those departments are read, so its cost follows the write, not the bulk file: a
-- report resolves to one of the keys only if it is stored under it or its department is the name of an
-- alias to it (coalesce(alias's key, stored key), as v_reports resolves), and each of the three semi joins
-- below has its keys pushed into the scan of base.reports as a filter.
INSERT INTO brought
WITH ids AS (SELECT unnest($report_ids::VARCHAR[]) AS report_id),
seeds AS (  -- the written reports, wherever they are now: their stored key and the key an alias gives them
    SELECT b.department_key, coalesce(a.department_key, b.department_key) AS key_resolved
    FROM base.reports b LEFT JOIN department_aliases a ON a.alias = b.department
    WHERE b.report_id IN (SELECT report_id FROM ids)
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
near AS (
    SELECT report_id FROM base.reports SEMI JOIN ids USING (report_id)
    UNION SELECT report_id FROM base.reports SEMI JOIN keys USING (department_key)
    UNION SELECT report_id FROM base.reports SEMI JOIN named USING (department)
)
SELECT report_id FROM near
WHERE report_id NOT IN (SELECT report_id FROM reports)
