-- Marks the bulk file's row map (bulk_rows) as made for the bulk file of id $base_id: a map whose mark is not
-- the file's own id (a file of an older perfboard, one restored from a backup) is not used (bulk_rows_current).
INSERT OR REPLACE INTO meta (key, value) VALUES ('bulk_rows_of', $base_id)
