-- Reports to review: those read by OCR first (their numbers need a look), then newest first.
SELECT r.report_id, r.source_file, r.department, r.year, r.report_kind, r.review_status, r.is_primary,
       r.ingested_at, coalesce(o.has_ocr, FALSE) AS has_ocr
FROM v_reports r
LEFT JOIN (SELECT report_id, bool_or(ocr) AS has_ocr FROM facts GROUP BY report_id) o USING (report_id)
ORDER BY has_ocr DESC, r.ingested_at DESC, r.source_file
