-- One report's text and identity, for review beside its extraction.
SELECT report_id, source_file, department, year, report_kind, review_status, is_primary, text, page_starts
FROM reports WHERE report_id = $report_id
