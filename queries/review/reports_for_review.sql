-- Reports to review: those marked 待核 by the extractor first (who, when or the headline
-- figures missing or doubtful), then those read by OCR (their numbers need a look), then newest first.
SELECT r.report_id, r.source_file, r.department, r.year, r.report_kind, r.review_status, r.is_primary,
       r.ingested_at, coalesce(o.has_ocr, FALSE) AS has_ocr,
       coalesce(r.needs_review, FALSE) AS needs_review, r.review_reasons
FROM v_reports r
LEFT JOIN (SELECT report_id, bool_or(ocr) AS has_ocr FROM facts GROUP BY report_id) o USING (report_id)
ORDER BY needs_review DESC, has_ocr DESC, r.ingested_at DESC, r.source_file
