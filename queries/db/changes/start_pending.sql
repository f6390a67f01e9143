-- A new changes file holds the whole of the small tables: the bulk file's unreadable uploads to start with.
INSERT INTO pending_files BY NAME SELECT * FROM base.pending_files
