-- Reports to review, newest first, with how many checks flag them.
SELECT r.report_id, r.source_file, r.department, r.year, r.report_kind, r.review_status, r.is_primary,
       r.ingested_at
FROM v_reports r
ORDER BY r.ingested_at DESC, r.source_file
