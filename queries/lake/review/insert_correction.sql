-- DuckLake (writes.correct): an analyst's correction (or a value the extractor missed) as its own row, with the id
-- lake.review.next_correction_id gave (review.insert_correction without RETURNING, which DuckLake lacks).
INSERT INTO corrections (correction_id, report_id, metric, subject, old_value, new_value, source_snippet, reason,
                         author)
VALUES ($correction_id, $report_id, $metric, $subject, $old_value, $new_value, $source_snippet, $reason, $author)
