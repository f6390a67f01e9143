-- DuckLake (lake maintain, step 5): files scheduled for deletion (merged or expired) more than $keep_seconds ago
-- are removed from the data folder: no reader of a snapshot still kept needs them.
SELECT count(*) AS done FROM ducklake_cleanup_old_files('lake', older_than => now() - to_seconds($keep_seconds))
