-- DuckLake (writes.undo): undo a correction; it stays in the audit trail, marked undone.
UPDATE corrections SET undone_at = current_timestamp WHERE correction_id = $correction_id AND undone_at IS NULL
