-- Remember the hash of the schema files just applied.
INSERT OR REPLACE INTO meta (key, value) VALUES ('schema_version', $version)
