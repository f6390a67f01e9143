-- A merge: the changes file's pending_files, whole (see merge_clear_pending_files).
INSERT INTO pending_files BY NAME SELECT * FROM changes.pending_files
