-- One batch of the full rebuild (db.rebuild_metrics): every report of the departments $first..$last (keys as v_reports
-- resolves them), or with $first NULL the reports without a department key (each its own unit), into
-- touched_reports, from which db.insert_dashboard_reports and db.insert_metrics compute their rows as every
-- write does.
INSERT INTO touched_reports
SELECT report_id FROM v_reports
WHERE department_key BETWEEN $first AND $last OR ($first IS NULL AND department_key IS NULL)
