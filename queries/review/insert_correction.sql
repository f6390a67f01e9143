-- An analyst's correction (or a value the extractor missed), as its own row. Its id is the next after the
-- largest (one writer at a time holds the write lock): the changes file holds copies of the bulk file's
-- corrections, so a sequence of its own would start again at 1.
INSERT INTO corrections (correction_id, report_id, metric, subject, old_value, new_value, source_snippet, reason,
                         author)
SELECT coalesce(max(correction_id), 0) + 1, $report_id, $metric, $subject, $old_value, $new_value, $source_snippet,
       $reason, $author
FROM corrections
RETURNING correction_id
