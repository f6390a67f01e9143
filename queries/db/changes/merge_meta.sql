-- A merge keeps marks the changes file has and the bulk file has not (the schema version and id are set anew).
INSERT OR IGNORE INTO meta BY NAME SELECT * FROM changes.meta WHERE key NOT IN ('schema_version', 'base_id')
