-- One extracted fact with its provenance.
INSERT INTO facts (report_id, metric, subject, value, value_text, derived, period_start, period_end,
                   source_page, source_offset, source_length, source_snippet, rule)
VALUES ($report_id, $metric, $subject, $value, $value_text, $derived, $period_start, $period_end,
        $source_page, $source_offset, $source_length, $source_snippet, $rule)
