-- An analyst's correction (or a value the extractor missed), as its own row.
INSERT INTO corrections (report_id, metric, subject, old_value, new_value, source_snippet, reason, author)
VALUES ($report_id, $metric, $subject, $old_value, $new_value, $source_snippet, $reason, $author)
RETURNING correction_id
