-- The audit trail of corrections, newest first, with the report they belong to.
SELECT c.correction_id, c.created_at, c.author, r.department, r.year, c.metric, c.subject,
       c.old_value, c.new_value, c.reason, c.source_snippet, c.undone_at, c.report_id
FROM corrections c LEFT JOIN v_reports r USING (report_id)
WHERE ($report_id IS NULL OR c.report_id = $report_id)
ORDER BY c.created_at DESC, c.correction_id DESC
