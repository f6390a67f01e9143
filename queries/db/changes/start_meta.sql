-- A new changes file keeps the bulk file's marks (the demo note) beside its own schema version and base id.
INSERT OR IGNORE INTO meta BY NAME SELECT * FROM base.meta WHERE key NOT IN ('schema_version', 'base_id')
