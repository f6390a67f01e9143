-- DuckLake (lake maintain, step 6): files in the data folder the catalog does not know, older than $keep_seconds:
-- what writers killed mid-write left (their transaction never committed). Run under the writer's lock, so no
-- writer is writing files it has not committed yet.
SELECT count(*) AS done FROM ducklake_delete_orphaned_files('lake', older_than => now() - to_seconds($keep_seconds))
