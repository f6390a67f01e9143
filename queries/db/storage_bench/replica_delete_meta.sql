-- Storage prototype (replica): rows of meta deleted (or updated) in the lake in snapshots $from_snapshot … $to_snapshot.
DELETE FROM main.meta WHERE lake_rowid IN (
    SELECT rowid FROM ducklake_table_deletions('lake', 'main', 'meta', $from_snapshot, $to_snapshot))
