-- The identity of this bulk file (a new one on every publish of the bulk file), or of the bulk file a
-- changes file belongs to: a changes file counts only beside the bulk file of its own id.
SELECT value FROM meta WHERE key = 'base_id'
