-- Storage prototype: a correction as its own row; DuckLake has no sequences, and there is one writer
-- (the write lock), so the next id is the largest + 1.
INSERT INTO corrections (correction_id, report_id, metric, subject, old_value, new_value, source_snippet, reason,
                         author, created_at)
SELECT coalesce(max(correction_id), 0) + 1, $report_id, $metric, $subject, NULL, $new_value, NULL, $reason,
       $author, current_timestamp
FROM corrections
