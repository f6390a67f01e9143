-- A merge: the changes file holds the whole of pending_files, so the bulk file's copy is replaced by it.
DELETE FROM pending_files
