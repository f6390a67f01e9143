-- One report's numbers as the dashboard uses them (corrections applied), with their source spans.
SELECT m.metric, m.subject, m.value, m.extracted_value, m.derived, m.corrected, m.period_start, m.period_end,
       m.ocr, m.ocr_confidence, m.source_page, m.source_snippet, f.source_offset, f.source_length, f.rule
FROM v_metrics m
LEFT JOIN facts f ON f.report_id = m.report_id AND f.metric = m.metric
                 AND coalesce(f.subject, '') = coalesce(m.subject, '')
WHERE m.report_id = $report_id
ORDER BY m.metric, m.subject
