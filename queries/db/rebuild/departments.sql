-- The batched full rebuild (db.rebuild_metrics): each department key (aliases resolved, as v_reports gives them)
-- with its number of reports, in key order, reports without a key first; db._rebuild_batches cuts them into
-- ranges of whole departments, so whole units (a unit is a department's kind and project).
SELECT department_key, count(*) AS reports
FROM v_reports
GROUP BY department_key
ORDER BY department_key NULLS FIRST
