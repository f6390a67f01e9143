-- DuckLake (writes.undo): the correction $correction_id and its report, if it is not undone yet: what
-- review.undo_correction's RETURNING gives on the file (DuckLake has no RETURNING on updates).
SELECT correction_id, report_id FROM corrections WHERE correction_id = $correction_id AND undone_at IS NULL
