-- DuckLake (writes.correct): the id of the next correction, the one after the largest. DuckLake has no sequences
-- and no RETURNING on inserts; read inside the write's transaction, under the writer's lock, so no other writer
-- takes it.
SELECT coalesce(max(correction_id), 0) + 1 FROM corrections
