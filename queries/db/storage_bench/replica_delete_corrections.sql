-- Storage prototype (replica): rows of corrections deleted (or updated) in the lake in snapshots $from_snapshot … $to_snapshot.
DELETE FROM main.corrections WHERE lake_rowid IN (
    SELECT rowid FROM ducklake_table_deletions('lake', 'main', 'corrections', $from_snapshot, $to_snapshot))
