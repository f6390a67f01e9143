-- The schema version of the attached bulk file: a changes file is written only beside a bulk file at this
-- version (an older one is upgraded by a write of the whole file first).
SELECT value FROM base.meta WHERE key = 'schema_version'
