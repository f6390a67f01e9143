-- The hash of the schema files this database was last written with.
SELECT value FROM meta WHERE key = 'schema_version'
