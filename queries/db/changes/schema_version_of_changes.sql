-- The schema version of the attached changes file.
SELECT value FROM changes.meta WHERE key = 'schema_version'
