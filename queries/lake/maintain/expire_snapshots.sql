-- DuckLake (lake maintain, step 2): snapshots older than $keep_seconds are expired (time travel and the change
-- feed reach back that far; a reader pinned to an older snapshot must reopen), so the files only they use can go.
SELECT count(*) AS done FROM ducklake_expire_snapshots('lake', older_than => now() - to_seconds($keep_seconds))
