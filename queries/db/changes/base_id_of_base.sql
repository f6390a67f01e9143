-- The identity of the attached bulk file (see base_id).
SELECT value FROM base.meta WHERE key = 'base_id'
