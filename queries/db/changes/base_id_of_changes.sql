-- The bulk file the attached changes file belongs to (see base_id).
SELECT value FROM changes.meta WHERE key = 'base_id'
